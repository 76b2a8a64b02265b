using System.Globalization;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using Orleans.Core.Internal;

namespace NeuroMesh.Supervision;

/// <summary>How a supervisor checks, restarts and stops each kind of child.</summary>
/// <remarks>
/// A restart deactivates the child's activation and calls it again: the new activation rebuilds its state from its delta
/// log (latest snapshot plus the deltas after it) and a neuron with a behaviour takes a fresh slot in its silo's agent
/// mesh. The call that follows returns from the new activation, which the restart waits for.
/// </remarks>
internal sealed class ChildOperations(IGrainFactory grains)
{
    /// <summary>How long a restart waits for the old activation to go (it flushes its behaviour's state to the log first, which a loaded machine can make slow).</summary>
    private static readonly TimeSpan RestartWithin = TimeSpan.FromSeconds(15);

    /// <summary>Checks that <paramref name="child"/> answers (activating it where it is not active), within <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not answer in time.</exception>
    public async Task<ChildProbe> ProbeAsync(ChildRef child, TimeSpan timeout)
    {
        switch (child.Kind)
        {
            case ChildKind.Neuron:
                var activity = await Neuron(child).GetActivity().WaitAsync(timeout);
                return new ChildProbe(activity.Silo, activity.Activation, activity.Faults, activity.RecentFaults.IsDefaultOrEmpty ? null : activity.RecentFaults[^1]);
            case ChildKind.Region:
                var region = await grains.GetGrain<IRegionGrain>(child.Key).Inspect().WaitAsync(timeout);
                return new ChildProbe(region.Silo, region.Activation, 0, null);
            default:
                var status = await grains.GetGrain<ISupervisorGrain>(child.Key).GetStatus().WaitAsync(timeout);
                return new ChildProbe(status.Silo, string.Empty, 0, null);
        }
    }

    /// <summary>Deactivates a neuron or region child (a supervisor child is restarted as a subtree instead).</summary>
    public async Task DeactivateAsync(ChildRef child, TimeSpan timeout)
    {
        IAddressable grain = child.Kind switch
        {
            ChildKind.Neuron => Neuron(child),
            ChildKind.Region => grains.GetGrain<IRegionGrain>(child.Key),
            _ => grains.GetGrain<ISupervisorGrain>(child.Key),
        };
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().WaitAsync(timeout);
    }

    /// <summary>
    /// Restarts <paramref name="child"/>: a neuron or region is deactivated and called until a new activation answers
    /// (rebuilt from its log; from <see cref="RestartFrom.InitialState"/> a neuron's behaviour state is reset in the log
    /// first); a supervisor restarts its subtree, each child as its own supervisor's configuration says. Returns the probe
    /// of the restarted child.
    /// </summary>
    public async Task<ChildProbe> RestartAsync(ChildRef child, string reason, RestartFrom from, TimeSpan timeout)
    {
        if (child.Kind == ChildKind.Supervisor)
        {
            var status = await grains.GetGrain<ISupervisorGrain>(child.Key).RestartSubtree(reason);
            return new ChildProbe(status.Silo, string.Empty, 0, null);
        }

        string? before = null;
        try
        {
            before = (await ProbeAsync(child, timeout)).Activation;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An activation that cannot answer (its silo is gone, or it hangs) is replaced all the same.
        }

        if (from == RestartFrom.InitialState && child.Kind == ChildKind.Neuron)
        {
            await Neuron(child).ResetAgentState($"restarted from its initial state: {reason}").WaitAsync(timeout);
        }

        await DeactivateAsync(child, timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            ChildProbe? probe = null;
            try
            {
                probe = await ProbeAsync(child, timeout);
            }
            catch (TimeoutException) when (clock.Elapsed <= RestartWithin)
            {
                // The call waits for the old activation to finish going (it flushes to the log first): probe again.
            }

            if (probe is not null && probe.Activation != before)
            {
                return probe;
            }

            if (clock.Elapsed > RestartWithin)
            {
                // Not claimed as a restart: the supervisor records nothing, and the failure stays the caller's.
                throw new TimeoutException($"{child} still answered from its old activation {before} {RestartWithin.TotalSeconds:0} s after its deactivation was asked for ({attempt + 1} probes)");
            }

            // The old activation is still finishing its turn; the deactivation lands when it is idle.
            await Task.Delay(10);
            if (attempt % 10 == 9)
            {
                await DeactivateAsync(child, timeout);
            }
        }
    }

    /// <summary>Stops a child: a neuron or region is deactivated, a supervisor stops its own children.</summary>
    public Task StopAsync(ChildRef child, string reason, TimeSpan timeout) => child.Kind == ChildKind.Supervisor
        ? grains.GetGrain<ISupervisorGrain>(child.Key).StopChildren(reason).WaitAsync(timeout)
        : DeactivateAsync(child, timeout);

    private INeuronGrain Neuron(ChildRef child) => grains.GetGrain<INeuronGrain>(long.Parse(child.Key, CultureInfo.InvariantCulture));
}
