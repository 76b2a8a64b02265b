using System.Collections.Immutable;

namespace NeuroMesh.Neurons;

/// <summary>
/// One silo's accounting of the spikes its agent mesh exchanges with neurons on other silos, read at one moment.
/// Outbound, every (spike, remote target) pair the mesh hands on is accounted for once:
/// <c>RemoteSent = RemoteAccepted + Σ RemoteDropped + RemoteInFlight</c> (<see cref="Balances"/>). Inbound, every spike
/// the silo's mesh ingress hands over is injected for its hosted target or dropped with a reason:
/// <c>Received = Injected + Σ InboundDropped</c>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.AgentMeshCounters")]
public sealed record AgentMeshCounters
{
    /// <summary>The silo (its parsable address).</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>(spike, remote target) pairs the silo's Cortex handed to the cross-silo path.</summary>
    [Id(1)] public long RemoteSent { get; init; }

    /// <summary>Of those, the spikes the destination silos' mesh ingress has acknowledged (validated and handed to their agent mesh).</summary>
    [Id(2)] public long RemoteAccepted { get; init; }

    /// <summary>Of those, the ones dropped, by reason: <c>NoRegion</c> (the target's region is not known here), <c>ArenaPayload</c> (a payload in this silo's arena cannot cross), <c>OutboxFull</c>, <c>OutboxClosed</c>, <c>EnqueueFailed</c>, <c>Lost</c> (see the mesh lane counters), <c>SiloLost</c> (not yet acknowledged when the destination silo left the cluster, or handed on in the pass during which it left).</summary>
    [Id(3)] public ImmutableSortedDictionary<string, long> RemoteDropped { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>Of those, the ones in the outbox or on the wire, not yet acknowledged.</summary>
    [Id(4)] public long RemoteInFlight { get; init; }

    /// <summary>Spikes from other silos that the mesh ingress handed to this silo's agent mesh.</summary>
    [Id(5)] public long Received { get; init; }

    /// <summary>Of those, the ones injected into the local Cortex for their hosted target (its behaviour receives them on the next pass).</summary>
    [Id(6)] public long Injected { get; init; }

    /// <summary>Of those, the ones dropped, by reason: <c>NotHosted</c> (no neuron with a behaviour has that id here), <c>ArenaPayload</c>, <c>MeshClosed</c>.</summary>
    [Id(7)] public ImmutableSortedDictionary<string, long> InboundDropped { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>Why this silo's agent mesh receives no cross-silo spikes (another consumer holds the mesh ingress), or null.</summary>
    [Id(8)] public string? IngressProblem { get; init; }

    /// <summary>True when every outbound pair is accepted, dropped with a reason, or in flight.</summary>
    public bool Balances => RemoteSent == RemoteAccepted + RemoteDropped.Values.Sum() + RemoteInFlight;
}
