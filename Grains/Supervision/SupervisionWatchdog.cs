using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroMesh.Cluster;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation;

namespace NeuroMesh.Supervision;

/// <summary>
/// Watches cluster membership on every silo. When a silo is declared dead: this silo's outbox counts the spikes still
/// unacknowledged by it as lost (<see cref="MeshLaneCounters.DroppedSiloLost"/>), and the oldest surviving silo calls
/// every supervisor in the delta log to run a health-check pass at once, which activates any supervisor that lived on
/// the dead silo (rebuilt from its log) and restores its children on the survivors; it also calls every run on the
/// <see cref="IStartedRunsGrain"/> list, which activates a started run whose grain lived there, and that activation
/// carries on from its last checkpoint (one membership watch and one choice of silo serve both).
/// </summary>
internal sealed class SupervisionWatchdog(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The prefix of supervisor grains' streams in the delta log (their grain ids).</summary>
    public const string StreamPrefix = "supervisor/";

    private readonly CancellationTokenSource _stop = new();
    private Task? _watching;

    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(SupervisionWatchdog), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _watching = Task.Run(WatchAsync);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_watching is not null)
        {
            await _watching.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task WatchAsync()
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var outbox = services.GetRequiredService<SiloOutbox>();
        var logger = services.GetRequiredService<ILogger<SupervisionWatchdog>>();
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stop.Token))
            {
                var lost = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).Select(m => m.SiloAddress).ToArray();
                if (lost.Length == 0)
                {
                    continue;
                }

                foreach (var silo in lost)
                {
                    var spikes = outbox.DestinationLost(silo);
                    logger.LogWarning("Silo {Silo} left the cluster; {Spikes} spike(s) unacknowledged by it were counted as lost", silo, spikes);
                }

                // The oldest: the lowest generation (a silo's start time), then the address for a tie, so every silo agrees.
                var oldest = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Active)
                    .Select(m => m.SiloAddress)
                    .OrderBy(s => s.Generation)
                    .ThenBy(s => s.ToParsableString(), StringComparer.Ordinal)
                    .FirstOrDefault();
                if (local.Equals(oldest))
                {
                    await Task.WhenAll(WakeSupervisorsAsync(logger), WakeStartedRunsAsync(logger));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task WakeSupervisorsAsync(ILogger logger)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var ids = new List<string>();
        await foreach (var stream in services.GetRequiredService<IDeltaLogStore>().ListStreamsAsync(_stop.Token))
        {
            if (stream.StreamId.StartsWith(StreamPrefix, StringComparison.Ordinal))
            {
                ids.Add(stream.StreamId[StreamPrefix.Length..]);
            }
        }

        await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                await grains.GetGrain<ISupervisorGrain>(id).CheckNow();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Supervisor {Supervisor} failed its check after a silo loss; its own timer retries", id);
            }
        }));
    }

    /// <summary>
    /// Calls every listed started run; a run found finished or stopped (its own removal failed) is taken off the list.
    /// A paused one stays: it may be an activation about to carry on, and a later removal by the run itself takes it off.
    /// </summary>
    private async Task WakeStartedRunsAsync(ILogger logger)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var list = grains.GetGrain<IStartedRunsGrain>(0);
        IReadOnlyList<string> runs;
        try
        {
            runs = await list.List();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The started-runs list could not be read after a silo loss; a run whose grain was lost carries on at its next call");
            return;
        }

        await Task.WhenAll(runs.Select(async id =>
        {
            try
            {
                var status = await grains.GetGrain<ISimulationGrain>(id).GetStatus();
                if (status.Phase is RunPhase.Finished or RunPhase.Stopped or RunPhase.Empty)
                {
                    await list.Remove(id);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Started run {Run} did not answer after a silo loss; it carries on at its next call", id);
            }
        }));
    }
}
