using NeuroMesh.Agents;
using NeuroMesh.Fabric;

namespace NeuroMesh.Neurons;

/// <summary>
/// The silo's agent mesh: one free-running <see cref="Cortex"/> over the silo's <see cref="SpikeFabric"/> that hosts the
/// neurons of the active neuron grains that have a behaviour. Spikes between hosted neurons travel through the fabric's
/// rings, never as grain calls. It remembers each source's wanted targets, so a synapse whose target activates later
/// (or again) is subscribed as soon as both ends are hosted.
/// </summary>
/// <remarks>
/// The subscription mesh routes broadcasts to subscribers; synapse weights and delays are kept by the neuron grains but
/// not applied here (the engine-backed Cortex applies them). Thread-safe: grains on any scheduler thread call it.
/// </remarks>
public sealed class SiloAgentMesh : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, uint[]> _wanted = [];

    /// <summary>Creates the mesh over the silo's fabric.</summary>
    public SiloAgentMesh(SpikeFabric fabric) => Cortex = new Cortex(fabric);

    /// <summary>The underlying Cortex.</summary>
    public Cortex Cortex { get; }

    /// <summary>Hosts neuron <paramref name="id"/> with <paramref name="behaviour"/> (replacing any earlier host) and starts the loop if needed.</summary>
    public NeuronHandle Host(uint id, INeuronBehaviour behaviour, int refractoryTicks, IEnumerable<uint> targets)
    {
        lock (_lock)
        {
            if (Cortex.Contains(id))
            {
                Cortex.RemoveNeuron(id);
            }

            var handle = Cortex.AddNeuron(id, behaviour, refractoryTicks);
            _wanted[id] = [.. targets];
            foreach (var (source, wanted) in _wanted)
            {
                if (source == id)
                {
                    SubscribeHosted(id, wanted);
                }
                else if (Array.IndexOf(wanted, id) >= 0 && Cortex.Contains(source))
                {
                    Cortex.Subscribe(source, id);
                }
            }

            if (!Cortex.IsRunning)
            {
                Cortex.Start();
            }

            return handle;
        }
    }

    /// <summary>Replaces the targets a hosted source sends to; targets hosted now are subscribed at once.</summary>
    public void SetTargets(uint source, IEnumerable<uint> targets)
    {
        lock (_lock)
        {
            if (!Cortex.Contains(source))
            {
                return;
            }

            foreach (var old in Cortex.SubscribersOf(source))
            {
                Cortex.Unsubscribe(source, old);
            }

            uint[] wanted = [.. targets];
            _wanted[source] = wanted;
            SubscribeHosted(source, wanted);
        }
    }

    /// <summary>Stops hosting neuron <paramref name="id"/>; false when it was not hosted.</summary>
    public bool Leave(uint id)
    {
        lock (_lock)
        {
            _wanted.Remove(id);
            if (!Cortex.Contains(id))
            {
                return false;
            }

            Cortex.RemoveNeuron(id);
            return true;
        }
    }

    /// <summary>True while neuron <paramref name="id"/> is hosted.</summary>
    public bool IsHosted(uint id) => Cortex.Contains(id);

    /// <summary>The counters of a hosted neuron, or null.</summary>
    public NeuronCounters? CountersOf(uint id)
    {
        lock (_lock)
        {
            return Cortex.Contains(id) ? Cortex.GetNeuron(id).Counters : null;
        }
    }

    /// <summary>The recent faults of neuron <paramref name="id"/>, oldest first.</summary>
    public IReadOnlyList<BehaviourFault> FaultsOf(uint id) => [.. Cortex.RecentFaults.Where(f => f.NeuronId == id)];

    /// <inheritdoc />
    public void Dispose() => Cortex.Dispose();

    private void SubscribeHosted(uint source, uint[] targets)
    {
        foreach (var target in targets)
        {
            if (Cortex.Contains(target))
            {
                Cortex.Subscribe(source, target);
            }
        }
    }
}
