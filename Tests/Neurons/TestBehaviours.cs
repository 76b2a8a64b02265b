using NeuroMesh.Agents;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Neurons;

/// <summary>Behaviours the neuron-grain tests bind, registered on every silo of the shared cluster.</summary>
public static class TestBehaviours
{
    public const string Throws = "test.throws";

    public static void Register(ISiloBuilder silo) => silo.AddNeuronBehaviour<ThrowingBehaviour>(Throws);

    /// <summary>Throws from every callback: the mesh must catch, count and report it.</summary>
    public sealed class ThrowingBehaviour : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => ["faulty"];

        public void OnSpike(in Spike spike, NeuronHandle neuron) => throw new InvalidOperationException($"boom on spike from {spike.Source}");

        public void OnFire(NeuronHandle neuron) => throw new InvalidOperationException("boom on fire");
    }
}
