using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// Spike compaction: an exclusive scan (ILGPU.Algorithms) of the fired flags gives each firing neuron its place,
/// so a tick's spikes are written in ascending neuron order, as CpuEngine reports them, whatever the thread schedule.
/// </summary>
internal static class SpikeKernels
{
    /// <summary>Writes firing neuron <paramref name="i"/> to Spikes[Meta[0] + position[i]].</summary>
    public static void Compact(ArrayView<int> fired, ArrayView<int> position, SpikeWindowViews w)
    {
        var first = w.Meta[0];
        for (var i = Grid.GlobalIndex.X; i < fired.IntLength; i += Grid.DimX * Group.DimX)
        {
            if (fired[i] != 0)
            {
                w.Spikes[first + position[i]] = i;
            }
        }
    }

    /// <summary>
    /// One thread: records the tick's count and advances the window cursor. A separate launch, because every
    /// <see cref="Compact"/> thread must have read the old cursor first.
    /// </summary>
    public static void Advance(Index1D unused, ArrayView<int> fired, ArrayView<int> position, SpikeWindowViews w, int tickInWindow, int neurons)
    {
        var count = neurons == 0 ? 0 : position[neurons - 1] + fired[neurons - 1];
        w.Meta[1] = w.Meta[0];
        w.Meta[2] = count;
        w.Meta[0] += count;
        w.TickCounts[tickInWindow] = count;
    }

    /// <summary>Starts a window: the cursor goes back to 0.</summary>
    public static void ResetWindow(Index1D unused, SpikeWindowViews w) => w.Meta[0] = 0;
}
