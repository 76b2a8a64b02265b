using System.Diagnostics;
using NeuroMesh.Agents;

namespace NeuroMesh.Fabric;

/// <summary>The clock of an <see cref="Cortex"/>: the tick is the number of passes run.</summary>
internal sealed class MeshClock : ITickClock
{
    private uint _tick;

    public uint Tick => Volatile.Read(ref _tick);

    public long Timestamp => Stopwatch.GetTimestamp();

    /// <summary>Ends a pass. Release store, so a reader of the new tick sees the pass's effects.</summary>
    public void Advance() => Volatile.Write(ref _tick, unchecked(_tick + 1));
}
