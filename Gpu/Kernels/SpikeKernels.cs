using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// Spike compaction: an exclusive scan (ILGPU.Algorithms) of the fired flags gives each firing neuron its place,
/// so a tick's spikes are written in ascending neuron order, as CpuEngine reports them, whatever the thread schedule.
/// </summary>
internal static class SpikeKernels
{
    /// <summary>
    /// Tick <paramref name="tickInWindow"/>'s compaction: firing neuron i goes to Spikes[first + position[i]], where first
    /// follows the previous tick's spikes (Meta triple <paramref name="tickInWindow"/>); one thread then records the tick's
    /// (first, count) in the next triple and its count in TickCounts. The triples are distinct, so no thread reads what
    /// another writes, and no separate launch is needed to advance a cursor.
    /// </summary>
    public static void Compact(ArrayView<int> fired, ArrayView<int> position, SpikeWindowViews w, int tickInWindow, int neurons)
    {
        var previous = 3 * tickInWindow;
        var first = w.Meta[previous + 1] + w.Meta[previous + 2];
        for (var i = Grid.GlobalIndex.X; i < neurons; i += Grid.DimX * Group.DimX)
        {
            if (fired[i] != 0)
            {
                w.Spikes[first + position[i]] = i;
            }
        }

        if (Grid.GlobalIndex.X == 0)
        {
            var count = neurons == 0 ? 0 : position[neurons - 1] + fired[neurons - 1];
            w.Meta[previous + 4] = first;
            w.Meta[previous + 5] = count;
            w.TickCounts[tickInWindow] = count;
        }
    }

    /// <summary>Starts a window: the triple before its first tick says "no spikes yet".</summary>
    public static void ResetWindow(Index1D unused, SpikeWindowViews w)
    {
        w.Meta[1] = 0;
        w.Meta[2] = 0;
    }
}
