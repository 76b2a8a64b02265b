namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// Structure-of-arrays neuron state plus the input rings: Acc[channel][slot × Stride + neuron] holds fixed-point
/// input that arrives at the end of tick ≡ slot (mod Slots). Integer sums make the input independent of arrival order.
/// </summary>
internal sealed class NeuronArrays
{
    public NeuronArrays(int neurons, int slots, int fixedShift)
    {
        Count = neurons;
        Slots = slots;
        Stride = neurons + 1; // one spare column: pruned synapses point at it, so delivery needs no branch
        V = new float[neurons];
        Ge = new float[neurons];
        Gi = new float[neurons];
        Modulation = new float[neurons];
        RefUntil = new int[neurons];
        Acc = [new int[slots * Stride], new int[slots * Stride], new int[slots * Stride]];
        FixedShift = fixedShift;
        Scale = MathF.ScaleB(1f, -fixedShift);
        ToFixed = Math.ScaleB(1.0, fixedShift);
    }

    public int Count { get; }

    public int Slots { get; }

    public int Stride { get; }

    public float[] V { get; }

    public float[] Ge { get; }

    public float[] Gi { get; }

    public float[] Modulation { get; }

    public int[] RefUntil { get; }

    public int[][] Acc { get; }

    public int FixedShift { get; }

    /// <summary>Fixed-point unit in model units (2^-shift).</summary>
    public float Scale { get; }

    /// <summary>Model units to fixed-point (2^shift).</summary>
    public double ToFixed { get; }

    /// <summary>The ring offset of the input that arrives at the end of <paramref name="tick"/>.</summary>
    public int SlotOffset(long tick) => (int)(((tick % Slots) + Slots) % Slots) * Stride;

    public int Fixed(double weight) => (int)Math.Clamp(Math.Round(weight * ToFixed), int.MinValue, int.MaxValue);
}
