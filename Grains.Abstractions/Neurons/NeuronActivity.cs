using System.Collections.Immutable;

namespace NeuroMesh.Neurons;

/// <summary>Where a neuron runs and what its behaviour did while hosted in this activation.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.NeuronActivity")]
public sealed record NeuronActivity
{
    /// <summary>The silo the grain is active on (its parsable address).</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>The activation's id: it changes when the grain is deactivated and activated again.</summary>
    [Id(1)] public string Activation { get; init; } = string.Empty;

    /// <summary>True while the neuron is hosted in the silo's agent mesh (a behaviour is bound).</summary>
    [Id(2)] public bool Hosted { get; init; }

    /// <summary>Spikes the neuron published.</summary>
    [Id(3)] public long Fired { get; init; }

    /// <summary>Spikes handed to the neuron's behaviour.</summary>
    [Id(4)] public long Received { get; init; }

    /// <summary>Exceptions thrown by the behaviour, caught and counted.</summary>
    [Id(5)] public long Faults { get; init; }

    /// <summary>The most recent faults, oldest first: callback, tick and message.</summary>
    [Id(6)] public ImmutableArray<string> RecentFaults { get; init; } = [];

    /// <summary>(spike, target) pairs this neuron sent to neurons hosted on other silos (handed to the silo's outbox or dropped with a reason).</summary>
    [Id(7)] public long RemoteSent { get; init; }

    /// <summary>Of <see cref="RemoteSent"/>, the pairs dropped before the outbox took them (target region unknown, arena payload, outbox full or closed).</summary>
    [Id(8)] public long RemoteDropped { get; init; }

    /// <summary>Spikes from neurons on other silos injected for this neuron (its behaviour's <see cref="Received"/> includes them once delivered).</summary>
    [Id(9)] public long RemoteReceived { get; init; }

    /// <summary>The hosting silo's cross-silo accounting (null where the silo has no cross-silo path).</summary>
    [Id(10)] public AgentMeshCounters? Mesh { get; init; }

    /// <summary>Behaviour state deltas logged for this neuron (confirmed in its delta log).</summary>
    [Id(11)] public long StateDeltas { get; init; }

    /// <summary>Behaviour state deltas refused because too many bytes were waiting for the log.</summary>
    [Id(12)] public long StateRefused { get; init; }
}
