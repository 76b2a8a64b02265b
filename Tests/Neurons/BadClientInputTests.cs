using NeuroMesh.Agents;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Persistence;

namespace NeuroMesh.Tests.Neurons;

[Collection(SiloCollection.Name)]
public sealed class BadClientInputTests(DeltaLogClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task An_unknown_neuron_is_a_clear_error_naming_its_id()
    {
        var neuron = Grains.GetGrain<INeuronGrain>(4_000_123);
        var inspect = await Assert.ThrowsAsync<KeyNotFoundException>(neuron.Inspect);
        Assert.Contains("Neuron 4000123 is unknown", inspect.Message);
        var bind = await Assert.ThrowsAsync<KeyNotFoundException>(() => neuron.BindBehaviour(RelayBehaviour.Name));
        Assert.Contains("4000123", bind.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => neuron.Connect(new OutgoingSynapse(1, 1)));
        var stimulate = await Assert.ThrowsAsync<InvalidOperationException>(neuron.Stimulate);
        Assert.Contains("Neuron 4000123 has no behaviour", stimulate.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Grains.GetGrain<INeuronGrain>(-5).Inspect());
    }

    [Fact]
    public async Task An_unknown_region_is_a_clear_error_naming_its_path()
    {
        var region = Grains.GetGrain<IRegionGrain>("never/used");
        Assert.Contains("Region 'never/used' is unknown", (await Assert.ThrowsAsync<KeyNotFoundException>(region.Inspect)).Message);
        Assert.Contains("never/used", (await Assert.ThrowsAsync<KeyNotFoundException>(() => region.FindByCapability(["x"]))).Message);
    }

    [Theory]
    [InlineData("/leading")]
    [InlineData("a//b")]
    [InlineData("has space")]
    [InlineData("bad!char")]
    public async Task An_invalid_region_path_is_an_argument_error_naming_the_path(string key)
    {
        var region = Grains.GetGrain<IRegionGrain>(key);
        var inspect = await Assert.ThrowsAsync<ArgumentException>(region.Inspect);
        Assert.Contains($"'{key}' is not a valid region path", inspect.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => region.RegisterCard(new AgentCard("x", 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => region.AddMember(1));
    }

    [Fact]
    public async Task Binding_an_unregistered_behaviour_names_it_and_lists_the_registered_ones()
    {
        var neuron = Grains.GetGrain<INeuronGrain>(4101);
        await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("bad/input") });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => neuron.BindBehaviour("no.such.behaviour"));
        Assert.Contains("'no.such.behaviour'", e.Message);
        Assert.Contains(RelayBehaviour.Name, e.Message);
        Assert.Contains(TestBehaviours.Throws, e.Message);
        Assert.Null((await neuron.Inspect()).Behaviour);
    }

    [Fact]
    public async Task Invalid_configurations_slices_and_moves_are_rejected_with_the_field_named()
    {
        var neuron = Grains.GetGrain<INeuronGrain>(4201);
        Assert.Contains("NeuronConfig.Region", (await Assert.ThrowsAsync<ArgumentException>(() => neuron.Configure(new NeuronConfig()))).Message);
        await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("bad/home") });
        var move = await Assert.ThrowsAsync<ArgumentException>(() => neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("bad/away") }));
        Assert.Contains("'bad/home'", move.Message);

        var region = Grains.GetGrain<IRegionGrain>("bad/slice");
        var spec = """{ "populations": [ { "name": "P", "size": 3 } ] }""";
        Assert.Contains("Population 'Nope'", (await Assert.ThrowsAsync<ArgumentException>(() => region.AssignSlice(spec, ["Nope"]))).Message);
        Assert.Contains("invalid", (await Assert.ThrowsAsync<ArgumentException>(() => region.AssignSlice("{ \"populations\": 3 }", ["P"]))).Message);
    }
}
