using System.Diagnostics;
using Orleans.EventSourcing;
using Orleans.Providers;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

/// <summary>
/// Orleans' built-in <c>LogStorage</c> log-consistency provider over a grain storage: every confirm writes the whole
/// log (all events so far) back as one grain state.
/// </summary>
[LogConsistencyProvider(ProviderName = LogPeerHost.LogStorageProvider)]
[StorageProvider(ProviderName = LogPeerHost.GrainStorage)]
public sealed class LogStorageBenchGrain : JournaledGrain<LogBenchState, LogBenchEvent>, ILogBenchGrain
{
    /// <inheritdoc />
    public async Task Fill(int events)
    {
        for (var i = 0; i < events; i++)
        {
            RaiseEvent(new LogBenchEvent { Sequence = Version + i + 1 });
        }

        await ConfirmEvents();
    }

    /// <inheritdoc />
    public async Task<double[]> Probe(int count)
    {
        var costs = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            RaiseEvent(new LogBenchEvent { Sequence = Version + 1 });
            await ConfirmEvents();
            costs[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return costs;
    }

    /// <inheritdoc />
    public Task<(int Version, int Events, long Checksum)> Read() => Task.FromResult((Version, State.Events, State.Checksum));

    /// <inheritdoc />
    protected override void TransitionState(LogBenchState state, LogBenchEvent @event) => LogBenchEvent.Apply(state, @event);
}
