using NeuroMesh.Engine.Cpu;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// The host side of the device's synapse table: one CSR over all sources, each row sorted by (delay, channel, target)
/// as CpuEngine's partitions are, so "the first synapse from a to b" means the same in both engines.
/// </summary>
internal sealed class DeviceCsr
{
    public DeviceCsr(Edge[] edges, int neurons)
    {
        if (edges.LongLength >= int.MaxValue)
        {
            throw new NotSupportedException($"{edges.LongLength} synapses exceed the engine's 32-bit synapse index; split the network");
        }

        RowStart = new int[neurons + 1];
        foreach (ref readonly var e in edges.AsSpan())
        {
            RowStart[e.Source + 1]++;
        }

        for (var j = 0; j < neurons; j++)
        {
            RowStart[j + 1] += RowStart[j];
        }

        var order = new int[edges.Length];
        var cursor = (int[])RowStart.Clone();
        for (var e = 0; e < edges.Length; e++)
        {
            order[cursor[edges[e].Source]++] = e;
        }

        var keys = new long[edges.Length];
        for (var k = 0; k < order.Length; k++)
        {
            ref readonly var e = ref edges[order[k]];
            keys[k] = ((long)e.Delay << 40) | ((long)e.Channel << 32) | (uint)e.Target;
        }

        for (var j = 0; j < neurons; j++)
        {
            var span = RowStart[j + 1] - RowStart[j];
            if (span > 1)
            {
                // Stable by construction order within equal keys: the key sort is unstable, so order is a tiebreaker.
                var rowKeys = keys.AsSpan(RowStart[j], span);
                var rowOrder = order.AsSpan(RowStart[j], span);
                var pairs = new (long Key, int Order)[span];
                for (var k = 0; k < span; k++)
                {
                    pairs[k] = (rowKeys[k], rowOrder[k]);
                }

                Array.Sort(pairs);
                for (var k = 0; k < span; k++)
                {
                    rowOrder[k] = pairs[k].Order;
                }
            }
        }

        Target = new int[edges.Length];
        Weight = new int[edges.Length];
        DelayChannel = new int[edges.Length];
        Rule = new int[edges.Length];
        var plastic = 0;
        for (var k = 0; k < order.Length; k++)
        {
            ref readonly var e = ref edges[order[k]];
            Target[k] = e.Target;
            Weight[k] = e.Fixed;
            DelayChannel[k] = (e.Delay << 2) | e.Channel;
            Rule[k] = e.Plastic >= 0 ? e.Plastic : -1;
            plastic += e.Plastic >= 0 ? 1 : 0;
        }

        // The plastic synapses onto each target (a counting sort of the CSR by target), for potentiation and reward.
        InStart = new int[neurons + 1];
        InSyn = new int[plastic];
        InSource = new int[plastic];
        for (var k = 0; k < Rule.Length; k++)
        {
            if (Rule[k] >= 0)
            {
                InStart[Target[k] + 1]++;
            }
        }

        for (var i = 0; i < neurons; i++)
        {
            InStart[i + 1] += InStart[i];
        }

        var at = (int[])InStart.Clone();
        for (var j = 0; j < neurons; j++)
        {
            for (var k = RowStart[j]; k < RowStart[j + 1]; k++)
            {
                if (Rule[k] >= 0)
                {
                    var slot = at[Target[k]]++;
                    InSyn[slot] = k;
                    InSource[slot] = j;
                }
            }
        }
    }

    /// <summary>The plastic rule of each synapse (its index in the plan's plastic specs), or -1.</summary>
    public int[] Rule { get; }

    /// <summary>Plastic synapses onto target i: InSyn/InSource[InStart[i] .. InStart[i + 1]).</summary>
    public int[] InStart { get; }

    public int[] InSyn { get; }

    public int[] InSource { get; }

    public int[] RowStart { get; }

    public int[] Target { get; }

    public int[] Weight { get; }

    public int[] DelayChannel { get; }
}
