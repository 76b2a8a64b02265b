using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>A neuron hosted by an <see cref="Cortex"/>: its handle, behaviour, the router's reader on its Axon and its inbox.</summary>
internal sealed class MeshNeuron(NeuronHandle handle, INeuronBehaviour behaviour, AxonReader reader)
{
    public uint Id => Handle.Id;

    public NeuronHandle Handle { get; } = handle;

    /// <summary>What the neuron does; replaced only between passes (<see cref="Cortex.ReplaceBehaviour"/>).</summary>
    public INeuronBehaviour Behaviour { get; private set; } = behaviour;

    public ITickingBehaviour? Ticking { get; private set; } = behaviour as ITickingBehaviour;

    /// <summary>Puts <paramref name="behaviour"/> in place of the current one and returns that.</summary>
    public INeuronBehaviour Replace(INeuronBehaviour behaviour)
    {
        var old = Behaviour;
        (Behaviour, Ticking) = (behaviour, behaviour as ITickingBehaviour);
        return old;
    }

    /// <summary>The router's reader on this neuron's Axon.</summary>
    public AxonReader Reader { get; } = reader;

    /// <summary>Spikes routed to this neuron in the current pass, delivered in one wake.</summary>
    public List<Spike> Inbox { get; } = [];

    /// <summary>True while the neuron is in the current pass's wake list.</summary>
    public bool Queued { get; set; }
}
