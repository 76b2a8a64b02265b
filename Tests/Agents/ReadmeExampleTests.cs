using System.Text;
using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Agents;

/// <summary>The "Agents" snippet of docs/agents.md, verbatim, so that it keeps compiling and working.</summary>
[Trait("Tier", "Unit")]
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_agents_example_works()
    {
        // docs/agents.md: begin
        using var mesh = new Cortex();
        var asker = new Asker();
        mesh.AddAgent(new AgentCard("asker", 1, regions: [RegionPath.Parse("app/front")]), asker);
        mesh.AddAgent(new AgentCard("shouter", 2, regions: [RegionPath.Parse("app/back")]), new Shouter(), refractoryTicks: 2);

        var shouter = mesh.Directory.FindByCapability("shout").Single();   // discover by capability
        mesh.Subscribe(source: 1, target: shouter.NeuronId);               // the shouter hears the asker's broadcasts
        mesh.Stimulate(1);                                                 // the asker fires in the next pass
        mesh.RunUntilIdle();                                               // or mesh.Start() ... mesh.Stop()

        Console.WriteLine(string.Join(", ", asker.Answers));               // HELLO
        Console.WriteLine(mesh.Counters.Balances);                         // True: fired = delivered + dropped + in flight
        // docs/agents.md: end

        Assert.Equal(["HELLO"], asker.Answers);
        Assert.True(mesh.Counters.Balances);
        Assert.Equal([1u, 2], mesh.Directory.FindInRegion(RegionPath.Parse("app")).Select(c => c.NeuronId));
    }

    // docs/agents.md: behaviours
    public sealed class Shouter : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => ["shout"];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
            var text = Encoding.UTF8.GetString(neuron.ReadPayload(in spike));
            neuron.FireTo(spike.Source, Encoding.UTF8.GetBytes(text.ToUpperInvariant()));
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }

    public sealed class Asker : INeuronBehaviour
    {
        public List<string> Answers { get; } = [];

        public IReadOnlyCollection<string> Capabilities => ["ask"];

        public void OnSpike(in Spike spike, NeuronHandle neuron) => Answers.Add(Encoding.UTF8.GetString(neuron.ReadPayload(in spike)));

        public void OnFire(NeuronHandle neuron) => neuron.Broadcast("hello"u8);
    }

    // docs/agents.md: behaviours end
}
