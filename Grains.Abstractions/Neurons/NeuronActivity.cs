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
}
