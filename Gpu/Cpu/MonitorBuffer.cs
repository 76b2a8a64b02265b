namespace NeuroMesh.Engine.Cpu;

/// <summary>Preallocated samples of one state monitor for one run; each worker writes the neurons it owns.</summary>
internal sealed class MonitorBuffer(string name, string variable, int[] neurons, long startTick, int interval, long ticks)
{
    private readonly float[] _values = new float[(int)Math.Min(int.MaxValue / 4, ((ticks + interval - 1) / interval) * neurons.Length)];

    public void Sample(int tick, int lo, int hi, NeuronArrays s)
    {
        var offset = tick - startTick;
        if (offset % interval != 0)
        {
            return;
        }

        var row = (int)(offset / interval) * neurons.Length;
        if (row + neurons.Length > _values.Length)
        {
            return;
        }

        var source = variable switch { "v" => s.V, "ge" => s.Ge, _ => s.Gi };
        for (var k = 0; k < neurons.Length; k++)
        {
            var i = neurons[k];
            if (i >= lo && i < hi)
            {
                _values[row + k] = source[i];
            }
        }
    }

    public StateTrace ToTrace() => new(name, variable, neurons, startTick, interval, _values);
}
