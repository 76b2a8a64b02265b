using System.Diagnostics;

namespace NeuroMesh.Agents;

/// <summary>A clock whose tick moves only when told to; its timestamps come from <see cref="Stopwatch"/>.</summary>
public sealed class ManualTickClock : ITickClock
{
    private uint _tick;

    /// <summary>Creates a clock at <paramref name="tick"/>.</summary>
    public ManualTickClock(uint tick = 0) => _tick = tick;

    /// <summary>The current tick. Acquire read; set with a release store.</summary>
    public uint Tick
    {
        get => Volatile.Read(ref _tick);
        set => Volatile.Write(ref _tick, value);
    }

    /// <inheritdoc />
    public long Timestamp => Stopwatch.GetTimestamp();

    /// <summary>Moves the tick forward (wrapping) and returns the new tick.</summary>
    public uint Advance(uint ticks = 1)
    {
        var next = unchecked(Tick + ticks);
        Tick = next;
        return next;
    }
}
