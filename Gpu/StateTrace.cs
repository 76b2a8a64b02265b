namespace NeuroMesh.Engine;

/// <summary>The samples of one state monitor: <see cref="Values"/>[sample × Neurons.Length + k] is neuron k at tick StartTick + sample × IntervalTicks.</summary>
public sealed record class StateTrace(string Name, string Variable, int[] Neurons, long StartTick, int IntervalTicks, float[] Values)
{
    /// <summary>The number of samples taken.</summary>
    public int Samples => Neurons.Length == 0 ? 0 : Values.Length / Neurons.Length;

    /// <summary>The value of the <paramref name="k"/>-th monitored neuron in sample <paramref name="sample"/>.</summary>
    public float At(int sample, int k) => Values[(sample * Neurons.Length) + k];
}
