using System.Diagnostics;
using NeuroMesh.Persistence;
using Orleans.Providers;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

/// <summary>The same grain on NeuroMesh's <see cref="DeltaLogGrain{TState, TEvent}"/>: every confirm appends only the new events.</summary>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class DeltaLogBenchGrain : DeltaLogGrain<LogBenchState, LogBenchEvent>, ILogBenchGrain
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
