using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// Drains one neuron's Axon into the mesh's router: each spike is routed into its receivers' inboxes (a copy; the
/// slot is released after the batch), and the batch is accounted once in <see cref="OnBatchEnd"/>.
/// </summary>
internal struct CollectHandler(Cortex mesh) : ISpikeHandler
{
    public readonly void OnSpike(in Spike spike, long sequence) => mesh.Route(in spike, fired: true);

    public readonly void OnBatchEnd(long firstSequence, int count) => mesh.CountCollected(count);
}
