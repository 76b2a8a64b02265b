using NeuroMesh.Network;
using NeuroMesh.Supervision;

namespace NeuroMesh.Tests.Supervision;

/// <summary>The spec's optional supervision section: validated with JSON paths, and deployed as a tree of supervisor grains.</summary>
public sealed class SupervisionSpecTests(SupervisionFixture fixture) : IClassFixture<SupervisionFixture>
{
    private const string Network = """
        "dt": 0.1, "duration": 10,
        "populations": [ { "name": "E", "size": 3, "model": "lif_cuba", "params": { "tauM": 20, "vRest": -49, "vThreshold": -50, "vReset": -60, "refractory": 5, "tauE": 5, "tauI": 10 } } ],
        """;

    [Fact]
    public void Every_problem_of_the_section_is_reported_with_its_json_path()
    {
        var e = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("{" + Network + """
            "supervision": { "supervisors": [
              { "name": "a", "parent": "b", "strategy": "OneForSome", "restartFrom": "Yesterday", "maxRestarts": -1, "withinSeconds": 0, "children": ["neuron:3", "population:X", "cell:1"], "decider": { "Meltdown": "Restart", "SiloLost": "Panic" } },
              { "name": "b", "parent": "a" },
              { "name": "c", "parent": "nobody" }
            ] } }
            """));
        var errors = e.Errors.Select(x => $"{x.Path}: {x.Message}").ToArray();
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].strategy: unknown strategy 'OneForSome'", StringComparison.Ordinal));
        Assert.Contains("$.supervision.supervisors[0].restartFrom: unknown restartFrom 'Yesterday' (known: LastCheckpoint, InitialState)", errors);
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].maxRestarts:", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].withinSeconds:", StringComparison.Ordinal));
        Assert.Contains("$.supervision.supervisors[0].children[0]: neuron '3' is not in the network (0..2)", errors);
        Assert.Contains("$.supervision.supervisors[0].children[1]: unknown population 'X'", errors);
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].children[2]: unknown child kind 'cell'", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].decider.Meltdown: unknown failure kind", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.StartsWith("$.supervision.supervisors[0].decider.SiloLost: unknown directive 'Panic'", StringComparison.Ordinal));
        Assert.Contains("$.supervision.supervisors[0].parent: the parents make a cycle: a -> b -> a", errors);
        Assert.Contains("$.supervision.supervisors[2].parent: unknown supervisor 'nobody'", errors);
    }

    [Fact]
    public async Task A_declared_tree_is_deployed_with_its_children_in_order_and_its_parents()
    {
        var spec = NetworkSpec.Parse("{" + Network + """
            "supervision": { "supervisors": [
              { "name": "spec-leaf", "parent": "spec-root", "strategy": "RestForOne", "restartFrom": "initialState", "maxRestarts": 2, "children": ["population:E"], "decider": { "BehaviourFault": "Resume" } },
              { "name": "spec-root", "strategy": "OneForAll", "children": ["region:spec/area"] }
            ] } }
            """);
        Assert.Equal(["spec-leaf", "spec-root"], NetworkSpec.Parse(spec.ToJson()).Supervision!.Supervisors.Select(s => s.Name));

        Assert.Equal(["spec-root", "spec-leaf"], await SupervisionDeployer.DeployAsync(fixture.Grains, spec));

        var leaf = await fixture.Grains.GetGrain<ISupervisorGrain>("spec-leaf").GetStatus();
        Assert.Equal(("spec-root", SupervisionStrategy.RestForOne, 2, SupervisorDirective.Resume), (leaf.Parent, leaf.Config.Strategy, leaf.Config.MaxRestarts, leaf.Config.Decide(FailureKind.BehaviourFault)));
        Assert.Equal(RestartFrom.InitialState, leaf.Config.RestartFrom);
        Assert.Equal([ChildRef.Neuron(0), ChildRef.Neuron(1), ChildRef.Neuron(2)], leaf.Children.Select(c => c.Child));
        var root = await fixture.Grains.GetGrain<ISupervisorGrain>("spec-root").GetStatus();
        Assert.Equal(RestartFrom.LastCheckpoint, root.Config.RestartFrom);
        Assert.Equal([ChildRef.Region("spec/area"), ChildRef.Supervisor("spec-leaf")], root.Children.Select(c => c.Child));

        await SupervisionDeployer.DeployAsync(fixture.Grains, spec); // again: nothing changes
        Assert.Equal(2, (await fixture.Grains.GetGrain<ISupervisorGrain>("spec-root").GetStatus()).Children.Length);
    }
}
