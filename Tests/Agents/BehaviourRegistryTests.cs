using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Agents;

[Trait("Tier", "Unit")]
public class BehaviourRegistryTests
{
    [Fact]
    public void Behaviours_are_created_by_name_case_insensitively()
    {
        var registry = new BehaviourRegistry().Register<Metronome>("metronome").Register("thrower", _ => new Thrower());
        Assert.IsType<Metronome>(registry.Create("Metronome"));
        Assert.IsType<Thrower>(registry.Create("thrower"));
        Assert.Equal(["metronome", "thrower"], registry.Names);
    }

    [Fact]
    public void Unknown_names_duplicates_and_non_behaviour_types_are_clear_errors()
    {
        var registry = new BehaviourRegistry().Register<Metronome>("metronome");
        var e = Assert.Throws<KeyNotFoundException>(() => registry.Create("sensor"));
        Assert.Contains("'sensor'", e.Message);
        Assert.Contains("Registered: metronome", e.Message);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => registry.Register<Thrower>("METRONOME")).Message);
        Assert.Contains("not a concrete class", Assert.Throws<ArgumentException>(() => registry.Register("s", typeof(string))).Message);
        Assert.Throws<ArgumentException>(() => registry.Register<Thrower>("two words"));
    }

    [Fact]
    public void Types_get_their_constructor_dependencies_from_the_service_provider()
    {
        var log = new List<Delivery>();
        var services = new ServiceCollection().AddSingleton(log).BuildServiceProvider();
        var registry = new BehaviourRegistry().Register<InjectedRecorder>("recorder");
        var behaviour = Assert.IsType<InjectedRecorder>(registry.Create("recorder", services));
        Assert.Same(log, behaviour.Log);
        Assert.Contains("Creating behaviour 'recorder' failed", Assert.Throws<InvalidOperationException>(() => registry.Create("recorder")).Message);
    }

    private sealed class InjectedRecorder(List<Delivery> log) : INeuronBehaviour
    {
        public List<Delivery> Log => log;

        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }
}
