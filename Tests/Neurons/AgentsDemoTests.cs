using NeuroMesh.Agents.Demo;
using Xunit.Abstractions;

namespace NeuroMesh.Tests.Neurons;

[Trait("Tier", "Unit")]
public sealed class AgentsDemoTests(ITestOutputHelper output)
{
    private static string DemoPath => Path.Combine(NeuroMesh.Tests.Network.NetworkSpecValidationTests.ExamplesDirectory(), "agents.json");

    [Fact]
    public void Reward_modulated_STDP_strengthens_the_useful_route_over_the_noisy_one()
    {
        var result = AgentsDemo.Run(DemoPath);
        foreach (var route in result.Routes)
        {
            output.WriteLine($"{route.Classifier,-18} useful={route.Useful,-5} trials={route.Trials,4} weight {route.InitialWeight:F3} -> {route.FinalWeight:F3}");
        }

        output.WriteLine($"actions={result.Actions} rewards={result.Rewards} penalties={result.Penalties} faults={result.Faults}");
        var useful = result.Route("edge-classifier");
        var noisy = result.Route("noise-classifier");
        Assert.True(useful.Useful);
        Assert.False(noisy.Useful);
        Assert.Equal(result.Trials, useful.Trials + noisy.Trials);
        Assert.InRange(useful.Trials, result.Trials / 3, result.Trials * 2 / 3);
        Assert.Equal(result.Trials, result.Actions);
        Assert.Equal(result.Trials, result.Rewards + result.Penalties);
        Assert.Equal(0, result.Faults);

        Assert.Equal(useful.InitialWeight, noisy.InitialWeight);
        Assert.True(useful.FinalWeight > useful.InitialWeight + 0.3, $"the useful route should strengthen: {useful.InitialWeight} -> {useful.FinalWeight}");
        Assert.True(useful.FinalWeight > noisy.FinalWeight + 0.3, $"the useful route ({useful.FinalWeight}) should end clearly above the noisy one ({noisy.FinalWeight})");
    }

    [Fact]
    public void The_demo_is_deterministic()
    {
        var a = AgentsDemo.Run(DemoPath);
        var b = AgentsDemo.Run(DemoPath);
        Assert.Equal(a.Routes, b.Routes);
        Assert.Equal((a.Actions, a.Rewards, a.Penalties), (b.Actions, b.Rewards, b.Penalties));
    }

    [Fact]
    public void A_demo_file_with_an_unknown_behaviour_or_population_is_rejected_with_the_agent_named()
    {
        var json = File.ReadAllText(DemoPath);
        var unknownBehaviour = AgentsDemoSpec.Parse(json.Replace("\"behaviour\": \"actuator\"", "\"behaviour\": \"dancer\"", StringComparison.Ordinal));
        Assert.Contains("'arm'", Assert.Throws<ArgumentException>(() => AgentsDemo.Run(unknownBehaviour)).Message);
        var badPopulation = json.Replace("\"population\": \"actuators\"", "\"population\": \"legs\"", StringComparison.Ordinal);
        Assert.Contains("agent 'arm'", Assert.Throws<ArgumentException>(() => AgentsDemoSpec.Parse(badPopulation)).Message);
    }
}
