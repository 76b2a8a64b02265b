using NeuroMesh.Telemetry;
using NeuroMesh.Supervision.Events;

namespace NeuroMesh.Supervision;

/// <summary>Health checks and the handling of failures.</summary>
public sealed partial class SupervisorGrain
{
    /// <summary>
    /// One health-check pass: children whose silo left the cluster fail with <see cref="FailureKind.SiloLost"/>; every
    /// other running child is called (activating it if needed), and a neuron whose fault count grew fails with
    /// <see cref="FailureKind.BehaviourFault"/>, a child that missed too many checks in a row with
    /// <see cref="FailureKind.MissedHealthCheck"/>. A child restarted while handling one failure is not acted on again in
    /// the same pass (a OneForAll restart covers every child that failed with it).
    /// </summary>
    private async Task CheckAsync()
    {
        _checks++;
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet(StringComparer.Ordinal);
        var failures = new List<(ChildRef Child, FailureKind Kind, string Reason)>();
        var probed = new List<ChildRef>();
        foreach (var child in Running())
        {
            if (State.Silos.TryGetValue(child, out var home) && home.Length > 0 && !active.Contains(home))
            {
                failures.Add((child, FailureKind.SiloLost, $"silo {home} left the cluster"));
            }
            else
            {
                probed.Add(child);
            }
        }

        var probes = await Task.WhenAll(probed.Select(async c =>
        {
            try
            {
                return (Child: c, Probe: await Children.ProbeAsync(c, CheckTimeout), Error: (Exception?)null);
            }
            catch (Exception e)
            {
                return (Child: c, Probe: (ChildProbe?)null, Error: e);
            }
        }));

        foreach (var (child, probe, error) in probes)
        {
            if (probe is null)
            {
                var missed = _missed[child] = _missed.GetValueOrDefault(child) + 1;
                if (missed >= State.Config.MissedChecksAllowed)
                {
                    failures.Add((child, FailureKind.MissedHealthCheck, $"{missed} health check(s) in a row unanswered; last: {error!.GetType().Name}: {error.Message}"));
                }

                continue;
            }

            _missed[child] = 0;
            if (_faultsSeen.TryGetValue(child, out var seen) && probe.Faults > seen)
            {
                failures.Add((child, FailureKind.BehaviourFault, $"{probe.Faults - seen} behaviour fault(s); last: {probe.LastFault}"));
            }

            Observe(child, probe);
        }

        await ConfirmEvents();
        var handled = new HashSet<ChildRef>();
        foreach (var (child, kind, reason) in failures)
        {
            if (!handled.Contains(child) && Running().Contains(child))
            {
                await HandleAsync(child, kind, reason, handled);
            }
        }
    }

    /// <summary>Applies the decider's directive for a failure of <paramref name="failed"/>; the children acted on are added to <paramref name="handled"/>.</summary>
    private async Task<SupervisorDirective> HandleAsync(ChildRef failed, FailureKind kind, string reason, HashSet<ChildRef> handled)
    {
        if (!Running().Contains(failed))
        {
            return SupervisorDirective.Stop;
        }

        var directive = State.Config.Decide(kind);
        switch (directive)
        {
            case SupervisorDirective.Resume:
                RaiseEvent(new ChildActedOn(new RestartRecord { Child = failed, FailedChild = failed, Kind = kind, Directive = SupervisorDirective.Resume, Reason = reason, At = DateTime.UtcNow }));
                await ConfirmEvents();
                await Rebaseline(failed);
                handled.Add(failed);
                return directive;
            case SupervisorDirective.Stop:
                await StopOne(failed, failed, kind, reason);
                handled.Add(failed);
                return directive;
            case SupervisorDirective.Escalate:
                await EscalateAsync($"{failed} failed ({kind}: {reason}) and the decider says Escalate");
                handled.UnionWith(State.Children);
                return directive;
        }

        var now = DateTime.UtcNow;
        var windowStart = Max(State.WindowStart, now - TimeSpan.FromSeconds(State.Config.WithinSeconds));
        var inWindow = State.History.Where(r => r.Directive == SupervisorDirective.Restart && r.At >= windowStart).ToArray();
        var restarts = inWindow.Count(r => r.Child == r.FailedChild);
        if (restarts + 1 > State.Config.MaxRestarts)
        {
            await EscalateAsync($"restart intensity exceeded: {failed} failed ({kind}: {reason}) after {restarts} restart(s) within {State.Config.WithinSeconds} s (at most {State.Config.MaxRestarts})");
            handled.UnionWith(State.Children);
            return SupervisorDirective.Escalate;
        }

        var attempt = inWindow.Count(r => r.Child == failed && r.FailedChild == failed) + 1;
        var delay = RestartBackoff.DelayMs(State.Config, failed, attempt);
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay));
        }

        foreach (var child in RestartPlan.Affected(State.Config.Strategy, Running(), failed))
        {
            await RestartOne(child, failed, kind, reason, child == failed ? delay : 0, child == failed ? attempt : 0);
            handled.Add(child);
        }

        return SupervisorDirective.Restart;
    }

    /// <summary>Restarts one child and records it (after the restart: a restart that failed is not claimed).</summary>
    private async Task RestartOne(ChildRef child, ChildRef failed, FailureKind kind, string reason, double delayMs, int attempt)
    {
        using var span = NeuroMeshTelemetry.StartRestart(this.GetPrimaryKeyString(), child.ToString());
        var from = State.Config.RestartFrom;
        var probe = await Children.RestartAsync(child, reason, from, CheckTimeout);
        RaiseEvent(new ChildActedOn(new RestartRecord
        {
            Child = child,
            FailedChild = failed,
            Kind = kind,
            Directive = SupervisorDirective.Restart,
            Reason = reason,
            DelayMs = delayMs,
            Attempt = attempt,
            At = DateTime.UtcNow,
            Silo = probe.Silo,
            From = from,
        }));
        await ConfirmEvents();
        NeuroMeshTelemetry.RecordRestart(this.GetPrimaryKeyString(), kind.ToString());
        _faultsSeen[child] = probe.Faults;
        _missed[child] = 0;
    }

    private async Task StopOne(ChildRef child, ChildRef failed, FailureKind kind, string reason)
    {
        try
        {
            await Children.StopAsync(child, reason, CheckTimeout);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            // A child that cannot be reached is stopped as far as this supervisor is concerned: it is no longer supervised.
        }

        RaiseEvent(new ChildActedOn(new RestartRecord { Child = child, FailedChild = failed, Kind = kind, Directive = SupervisorDirective.Stop, Reason = reason, At = DateTime.UtcNow }));
        await ConfirmEvents();
        _faultsSeen.Remove(child);
        _missed.Remove(child);
    }

    /// <summary>Stops every running child, records the escalation, and hands it to the parent (one-way).</summary>
    private async Task EscalateAsync(string reason)
    {
        foreach (var child in Running())
        {
            await StopOne(child, ChildRef.Supervisor(Id), FailureKind.Escalated, $"escalating: {reason}");
        }

        var parent = State.Parent;
        RaiseEvent(new FailureEscalated(parent is null ? $"{reason}; no parent to escalate to, so the children stay stopped" : $"{reason}; escalated to '{parent}'", DateTime.UtcNow));
        await ConfirmEvents();
        if (parent is not null)
        {
            await GrainFactory.GetGrain<ISupervisorGrain>(parent).ChildEscalated(Id, reason);
        }
    }

    /// <summary>Records where a child answered from, and its fault count as the baseline (first sight only: older faults were not seen by this activation's checks).</summary>
    // Raises ChildLocated when the child answered from another silo; the caller confirms.
    private void Observe(ChildRef child, ChildProbe probe)
    {
        _faultsSeen.TryAdd(child, probe.Faults);
        if (probe.Silo.Length > 0 && State.Silos.GetValueOrDefault(child) != probe.Silo)
        {
            RaiseEvent(new ChildLocated(child, probe.Silo));
        }
    }

    private async Task Rebaseline(ChildRef child)
    {
        try
        {
            _faultsSeen[child] = (await Children.ProbeAsync(child, CheckTimeout)).Faults;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _faultsSeen.Remove(child);
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
