namespace NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

/// <summary>
/// One event-sourced grain with a growing log, for the log-consistency peer comparison: raise events, confirm them, and
/// time single-event confirms inside the grain (no grain-call overhead in the figure).
/// </summary>
public interface ILogBenchGrain : IGrainWithStringKey
{
    /// <summary>Raises <paramref name="events"/> events and confirms them with one write (the fill between probes).</summary>
    Task Fill(int events);

    /// <summary>
    /// <paramref name="count"/> times: raise one event and confirm it; returns the microseconds of each confirm.
    /// </summary>
    Task<double[]> Probe(int count);

    /// <summary>The confirmed version and the state's event count and checksum (the check that nothing was lost).</summary>
    Task<(int Version, int Events, long Checksum)> Read();
}

/// <summary>The grain state: how many events, and the sum of their sequence numbers.</summary>
[GenerateSerializer]
public sealed class LogBenchState
{
    /// <summary>Events applied.</summary>
    [Id(0)]
    public int Events { get; set; }

    /// <summary>Sum of the applied events' sequence numbers.</summary>
    [Id(1)]
    public long Checksum { get; set; }
}

/// <summary>One logged event: a sequence number and a 64-byte payload (the size the store benchmark appends).</summary>
[GenerateSerializer]
public sealed class LogBenchEvent
{
    /// <summary>The payload size, as in the store benchmark.</summary>
    public const int PayloadBytes = 64;

    private static readonly byte[] SharedPayload = CreatePayload();

    /// <summary>The event's sequence number (1-based).</summary>
    [Id(0)]
    public long Sequence { get; set; }

    /// <summary>The payload.</summary>
    [Id(1)]
    public byte[] Payload { get; set; } = SharedPayload;

    /// <summary>Applies the event to a state.</summary>
    public static void Apply(LogBenchState state, LogBenchEvent @event)
    {
        state.Events++;
        state.Checksum += @event.Sequence;
    }

    private static byte[] CreatePayload()
    {
        var payload = new byte[PayloadBytes];
        new Random(64).NextBytes(payload);
        return payload;
    }
}
