using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Collections.Immutable;
using NeuroMesh.Agents;
using NeuroMesh.Client;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Simulation;
using NeuroMesh.Supervision;

namespace NeuroMesh.Tests.Client;

/// <summary>The .NET client facade end to end against a real two-silo embedded cluster.</summary>
public sealed class NeuroMeshClientTests(ClientClusterFixture fixture) : IClassFixture<ClientClusterFixture>
{
    [Fact]
    public async Task Connecting_where_no_silo_listens_fails_after_the_configured_attempts_naming_the_endpoint()
    {
        var port = LoopbackPorts.Free(1)[0];
        var options = new NeuroMeshClientOptions { Gateways = [$"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], ConnectAttempts = 3, ConnectRetryDelayMs = 200 };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<NeuroMeshConnectionException>(() => NeuroMeshClient.ConnectAsync(options));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("3 attempt(s)", error.Message);
        Assert.Equal(3, error.Attempts);
        // It gives up rather than retrying for minutes as Orleans' default filter would (a liveness bound, not a speed test).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(2 * 200), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Invalid_client_options_are_refused_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => NeuroMeshClient.ConnectAsync(new NeuroMeshClientOptions { ConnectAttempts = 0 }));
        Assert.Contains("NeuroMesh:Client:ConnectAttempts must be 1 or more (got 0)", error.Message);
    }

    [Fact]
    public async Task A_run_deployed_stepped_and_read_through_the_facade_has_the_single_engine_spikes()
    {
        var run = fixture.Client.Run("facade-run");
        var deployed = await run.Deploy(fixture.Spec, silos: 2);
        Assert.Equal((RunPhase.Deployed, fixture.Spec.TotalTicks, fixture.Spec.Dt), (deployed.Phase, deployed.TotalTicks, deployed.DtMs));

        await run.Step(250);
        var status = await run.Step(fixture.Spec.TotalTicks);
        Assert.Equal((RunPhase.Finished, fixture.ExpectedHash), (status.Phase, status.SpikeTrainHash));

        // Paged reading (small pages, so the cursor is followed many times) returns exactly the engine's spike train.
        var pages = new List<SpikePage>();
        await foreach (var page in run.ReadSpikes(new SpikeQuery { Limit = 97 }))
        {
            pages.Add(page);
        }

        Assert.True(pages.Count > 2);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(97, p.Ticks.Length));
        Assert.Equal(fixture.ExpectedSpikes.Select(s => (s.Tick, s.Neuron)), pages.SelectMany(p => p.Ticks.Zip(p.Neurons)));
        Assert.All(pages, p => Assert.Equal((fixture.Spec.TotalTicks, false), (p.RecordedToTick, p.Truncated)));

        // A tick and neuron window.
        var window = await run.Spikes(new SpikeQuery { FromTick = 100, ToTick = 300, FirstNeuron = 10, EndNeuron = 500, Limit = SpikeQuery.MaxLimit });
        Assert.Equal(
            fixture.ExpectedSpikes.Where(s => s.Tick is >= 100 and < 300 && s.Neuron is >= 10 and < 500).Select(s => (s.Tick, s.Neuron)),
            window.Ticks.Zip(window.Neurons));
        Assert.Equal(-1, window.Next);

        var stats = await run.Statistics();
        Assert.Equal(fixture.ExpectedSpikes.Length, stats.Status.Spikes);
        Assert.Equal(fixture.ExpectedSpikes.Length / 1000.0 / (fixture.Spec.TotalTicks * fixture.Spec.Dt / 1000.0), stats.MeanRateHz, 6);

        var checkpoints = await run.Checkpoints();
        Assert.Equal([250L, fixture.Spec.TotalTicks], checkpoints.Select(c => c.Tick));
        var replay = await run.Replay();
        Assert.Equal((fixture.ExpectedHash, 2), (replay.SpikeTrainHash, replay.Verified.Count));
    }

    [Theory]
    [InlineData(-1, -1, 0, -1, 10, "SpikeQuery.FromTick must be 0 or more (got -1)")]
    [InlineData(50, 10, 0, -1, 10, "SpikeQuery.ToTick (10) is before FromTick (50)")]
    [InlineData(0, -1, 5, 2, 10, "SpikeQuery.EndNeuron (2) is before FirstNeuron (5)")]
    [InlineData(0, -1, 0, -1, 0, "SpikeQuery.Limit must be in [1, 100000] (got 0)")]
    public async Task A_bad_spike_query_is_refused_naming_the_field(long from, long to, int first, int end, int limit, string message)
    {
        var run = fixture.Client.Run("query-checks");
        if ((await run.Status()).Phase == RunPhase.Empty)
        {
            await run.Deploy(fixture.Spec, silos: 1);
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => run.Spikes(new SpikeQuery { FromTick = from, ToTick = to, FirstNeuron = first, EndNeuron = end, Limit = limit }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Spikes_of_an_unknown_run_are_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Client.Run("never-deployed").Spikes(new SpikeQuery()));
        Assert.Contains("'never-deployed' has no spec deployed", error.Message);
    }

    [Fact]
    public async Task A_subscription_filtered_to_a_neuron_set_receives_exactly_those_spikes_of_a_started_run()
    {
        var run = fixture.Client.Run("facade-tap");
        await run.Deploy(fixture.Spec, silos: 2);
        var set = NeuronSet.Parse("0-99,800-849");
        var received = new ConcurrentQueue<SpikeTapBatch>();
        await using var subscription = await run.Subscribe(b =>
        {
            received.Enqueue(b);
            return Task.CompletedTask;
        }, set);

        await run.Start();
        await Eventually.Until(() => subscription.LastTick, tick => tick >= fixture.Spec.TotalTicks, $"the tap to reach tick {fixture.Spec.TotalTicks}", TimeSpan.FromSeconds(60));

        var expected = fixture.ExpectedSpikes.Where(s => s.Neuron is < 100 or (>= 800 and < 850)).Select(s => (s.Tick, s.Neuron)).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, received.SelectMany(b => b.Ticks.Zip(b.Neurons)));
        Assert.Equal((0L, expected.Length), (subscription.MissedTicks, subscription.Spikes));
    }

    [Fact]
    public async Task A_specs_supervision_tree_is_deployed_through_the_facade_and_its_supervisors_act()
    {
        // Population E holds neurons 9100..9102 (F takes 0..9099); they are configured as agents in region clienttest/sup.
        var spec = NetworkSpec.Parse("""
            { "dt": 0.1, "duration": 10,
              "populations": [
                { "name": "F", "size": 9100, "model": "lif_cuba", "params": { "tauM": 20, "vRest": -49, "vThreshold": -50, "vReset": -60, "refractory": 5, "tauE": 5, "tauI": 10 } },
                { "name": "E", "size": 3, "model": "lif_cuba", "params": { "tauM": 20, "vRest": -49, "vThreshold": -50, "vReset": -60, "refractory": 5, "tauE": 5, "tauI": 10 } } ],
              "supervision": { "supervisors": [
                { "name": "client-leaf", "parent": "client-root", "strategy": "RestForOne", "restartFrom": "InitialState", "children": ["population:E"] },
                { "name": "client-root", "strategy": "OneForAll", "children": ["region:clienttest/sup"] } ] } }
            """);
        for (uint id = 9100; id < 9103; id++)
        {
            await fixture.Client.Neuron(id).Configure(new NeuronConfig { Region = RegionPath.Parse("clienttest/sup") });
        }

        Assert.Equal(["client-root", "client-leaf"], await fixture.Client.DeploySupervision(spec));
        var leaf = fixture.Client.Supervisor("client-leaf");
        var status = await leaf.GetStatus();
        Assert.Equal(("client-root", SupervisionStrategy.RestForOne, RestartFrom.InitialState), (status.Parent, status.Config.Strategy, status.Config.RestartFrom));
        Assert.Equal([9100u, 9101u, 9102u], status.Children.Select(c => uint.Parse(c.Child.Key, CultureInfo.InvariantCulture)));

        // RestForOne from the second child: it and the third restart, in start order.
        Assert.Equal(SupervisorDirective.Restart, await leaf.ReportFailure(ChildRef.Neuron(9101), FailureKind.Reported, "client test"));
        Assert.Equal([ChildRef.Neuron(9101), ChildRef.Neuron(9102)], (await leaf.GetStatus()).History.Select(r => r.Child));
        Assert.Equal(["client-root", "client-leaf"], await fixture.Client.DeploySupervision(spec)); // again: nothing changes
        Assert.Equal(2, (await fixture.Client.Supervisor("client-root").GetStatus()).Children.Length);
        Assert.Throws<ArgumentException>(() => fixture.Client.Supervisor(" "));
    }

    [Fact]
    public async Task Regions_neurons_synapses_and_agents_are_created_edited_and_discovered_through_the_facade()
    {
        var region = fixture.Client.Region("clienttest/sensors");
        Assert.True(await region.AddMember(9001));
        var neuron = fixture.Client.Neuron(9001);
        var configured = await neuron.Configure(new NeuronConfig { Region = region.Path, RefractoryTicks = 2, Params = ImmutableSortedDictionary<string, double>.Empty.Add("tauM", 20) });
        Assert.Equal((region.Path, 2), (configured.Region, configured.RefractoryTicks));

        await neuron.Connect(9002, 0.5, 1.0);
        var synapses = await neuron.Connect(9003, 0.25);
        Assert.Equal([new OutgoingSynapse(9002, 0.5, 1.0), new OutgoingSynapse(9003, 0.25)], synapses);
        Assert.True(await neuron.Disconnect(9002));
        Assert.Equal([new OutgoingSynapse(9003, 0.25)], await neuron.Synapses());
        await Assert.ThrowsAsync<ArgumentException>(() => neuron.Connect(9004, double.NaN));

        await fixture.Client.RegisterAgent(new AgentCard("edge-detector", 9001, ["classify", "vision"], [region.Path]));
        await fixture.Client.RegisterAgent(new AgentCard("listener", 9005, ["audio"], [RegionPath.Parse("clienttest/ears")]));

        var found = await fixture.Client.FindAgents(["classify"]);
        Assert.Contains(found, c => c.NeuronId == 9001 && c.Name == "edge-detector");
        Assert.DoesNotContain(found, c => c.NeuronId == 9005);
        Assert.Equal([9001u], (await fixture.Client.FindAgents(["vision"], "clienttest/sensors")).Select(c => c.NeuronId));
        Assert.Equal([9001u, 9005u], (await fixture.Client.FindAgents(["vision", "audio"], "clienttest", CapabilityMatch.Any)).Select(c => c.NeuronId));
        Assert.Contains((uint)9001, (await region.Inspect()).Members);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.RegisterAgent(new AgentCard("nowhere", 9006, ["x"])));
    }
}
