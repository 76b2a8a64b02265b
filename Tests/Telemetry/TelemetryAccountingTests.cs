using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Network;
using NeuroMesh.Regions;
using NeuroMesh.Simulation;
using NeuroMesh.Telemetry;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Neurons;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>
/// The NeuroMesh meter on a real two-silo embedded cluster, read through the OpenTelemetry SDK's in-memory exporter: after a
/// lockstep run and after agent-mesh traffic, every metric equals the run's and the silos' own exact accounting; a client
/// call is one trace across both silos.
/// </summary>
public sealed class TelemetryAccountingTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-telemetry-").FullName;
    private EmbeddedCluster _cluster = null!;
    private string[] _silos = [];

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db") }, CancellationToken.None);
        _silos = [.. _cluster.Services.Select(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString())];
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task After_a_two_silo_run_the_simulation_and_cross_silo_metrics_equal_the_runs_accounting()
    {
        using var metrics = new MetricReadings();
        var before = metrics.Collect();
        Assert.Equal(0, before.Sum("neuromesh.simulation.spikes", _silos)); // fresh silos: nothing counted yet

        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 200 };
        var run = _cluster.Grains.GetGrain<ISimulationGrain>($"telemetry-{Guid.NewGuid():N}");
        await run.Deploy(spec.ToJson(), 2);
        var status = await run.Step(spec.TotalTicks);
        var shards = await run.GetShards();
        Assert.Equal(2, shards.Count);
        Assert.True(status.Spikes > 0, "the run must spike for the comparison to mean anything");
        Assert.True(shards.Sum(s => s.SpikesSent) > 0, "the run must send spikes across silos");

        var after = metrics.Collect();
        var lockstep = ("path", "lockstep");
        Assert.Equal(status.Spikes, after.Sum("neuromesh.simulation.spikes", _silos));
        Assert.Equal(spec.TotalTicks * 2, after.Sum("neuromesh.simulation.ticks", _silos));
        Assert.Equal(shards.Sum(s => s.Windows), after.Sum("neuromesh.simulation.windows", _silos));
        Assert.Equal(shards.Sum(s => s.FramesSent), after.Sum("neuromesh.crosssilo.batches.sent", _silos, lockstep));
        Assert.Equal(shards.Sum(s => s.SpikesSent), after.Sum("neuromesh.crosssilo.spikes.sent", _silos, lockstep));
        // Every frame sent arrived (the run waits for that before it finishes); the last window's are still queued at the shards.
        Assert.Equal(shards.Sum(s => s.FramesSent), after.Sum("neuromesh.crosssilo.batches.received", _silos, lockstep));
        Assert.Equal(shards.Sum(s => s.SpikesReceived + s.SpikesPending), after.Sum("neuromesh.crosssilo.spikes.received", _silos, lockstep));
        Assert.Equal(shards.Sum(s => s.SpikesSent), after.Sum("neuromesh.crosssilo.spikes.received", _silos, lockstep));
        Assert.Equal(shards.Sum(s => s.FramesRejected), after.Sum("neuromesh.crosssilo.batches.corrupt", _silos, lockstep));
        Assert.Equal(0, after.Sum("neuromesh.simulation.shards", _silos)); // released when the run finished

        // One histogram point per window per shard; the deploy and the final checkpoint are two appends of one event each.
        Assert.Equal(shards.Sum(s => s.Windows), after.Sum("neuromesh.simulation.window.duration", _silos));
        Assert.Equal(shards.Sum(s => s.Windows), after.Sum("neuromesh.simulation.barrier.wait", _silos));
        Assert.Equal(2, after.Sum("neuromesh.deltalog.appends", _silos));
        Assert.Equal(2, after.Sum("neuromesh.deltalog.deltas", _silos));
        Assert.Equal(2, after.Sum("neuromesh.deltalog.append.duration", _silos));

        // A replay re-verifies the one checkpoint and re-simulates every tick.
        var replay = await run.Replay();
        Assert.Single(replay.Verified);
        var replayed = metrics.Collect();
        Assert.Equal(1, replayed.Sum("neuromesh.replay.checkpoints", _silos));
        Assert.Equal(spec.TotalTicks, replayed.Sum("neuromesh.replay.ticks", _silos));
        Assert.Equal(2 * status.Spikes, replayed.Sum("neuromesh.simulation.spikes", _silos));
    }

    [Fact]
    public async Task After_agent_mesh_traffic_the_spike_metrics_equal_each_silos_cortex_outbox_and_ingress()
    {
        var grains = _cluster.Grains;
        var ids = Enumerable.Range(0, 6).Select(i => 7_700_000u + (uint)i).ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var neuron = grains.GetGrain<INeuronGrain>(id);
            await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse($"telemetry/r{i % 3}") });
            await neuron.BindBehaviour(RelayBehaviour.Name);
        }

        // A chain across three regions (placed on either silo), so spikes go local and remote.
        for (var i = 0; i < ids.Length - 1; i++)
        {
            await grains.GetGrain<INeuronGrain>(ids[i]).Connect(new OutgoingSynapse(ids[i + 1], 1));
        }

        for (var k = 0; k < 40; k++)
        {
            await grains.GetGrain<INeuronGrain>(ids[0]).Stimulate();
        }

        var meshes = _cluster.Services.Select(s => (Silo: s.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(),
            Mesh: s.GetRequiredService<SiloAgentMesh>(), Outbox: s.GetRequiredService<SiloOutbox>(), Ingress: s.GetRequiredService<MeshIngress>())).ToArray();
        await Eventually.Until(
            () => meshes.Select(m => (m.Silo, Cortex: m.Mesh.Cortex.Counters.InFlight, Lanes: m.Outbox.AllCounters().Sum(l => l.InFlight))).ToArray(),
            inFlight => inFlight.All(s => s.Cortex == 0 && s.Lanes == 0),
            "no spike in flight in any silo's cortex or outbox");

        await Task.Delay(300); // passes are idle now; let the last ingress deliveries land
        using var metrics = new MetricReadings();
        var readings = metrics.Collect();
        long published = 0;
        foreach (var (silo, mesh, outbox, ingress) in meshes)
        {
            var one = new[] { silo };
            var c = mesh.Cortex.Counters;
            var lanes = outbox.AllCounters();
            var received = ingress.Counters(silo);
            published += c.Fired + c.Injected;
            Assert.Equal(c.Fired + c.Injected, readings.Sum("neuromesh.spikes.published", one));
            Assert.Equal(c.Delivered, readings.Sum("neuromesh.spikes.delivered", one));
            Assert.Equal(c.DroppedNoSubscribers, readings.Sum("neuromesh.spikes.dropped", one, ("reason", "no_subscribers")));
            Assert.Equal(c.DroppedUnknownTarget, readings.Sum("neuromesh.spikes.dropped", one, ("reason", "unknown_target")));
            Assert.Equal(c.Dropped, readings.Sum("neuromesh.spikes.dropped", one));
            Assert.Equal(c.Refused, readings.Sum("neuromesh.spikes.refused", one));
            Assert.Equal(c.InFlight, readings.Sum("neuromesh.fabric.ring.occupancy", one));
            Assert.Equal(c.Ticks, readings.Sum("neuromesh.mesh.ticks", one));
            Assert.Equal(lanes.Sum(l => l.Sent), readings.Sum("neuromesh.crosssilo.spikes.sent", one, ("path", "mesh")));
            Assert.Equal(lanes.Sum(l => l.Batches), readings.Sum("neuromesh.crosssilo.batches.sent", one, ("path", "mesh")));
            Assert.Equal(lanes.Sum(l => l.Dropped), readings.Sum("neuromesh.crosssilo.spikes.dropped", one));
            Assert.Equal(received.SpikesAccepted, readings.Sum("neuromesh.crosssilo.spikes.received", one, ("path", "mesh")));
            Assert.Equal(received.FramesAccepted, readings.Sum("neuromesh.crosssilo.batches.received", one, ("path", "mesh")));
            Assert.Equal(received.RejectedTotal, readings.Sum("neuromesh.crosssilo.batches.corrupt", one, ("path", "mesh")));
            Assert.True(c.Balances, $"silo {silo}: {c}");
        }

        Assert.True(published >= 40, $"the stimulated neuron fires once per stimulation (published {published})");
        Assert.Equal(published, readings.Sum("neuromesh.spikes.published", _silos));
    }

    [Fact]
    public async Task A_client_call_is_one_trace_across_both_silos_with_the_control_plane_spans()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is NeuroMeshTelemetry.Name or "Microsoft.Orleans.Application" or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 50 };
        var run = _cluster.Grains.GetGrain<ISimulationGrain>($"traced-{Guid.NewGuid():N}");
        ActivityTraceId trace;
        using (var root = source.StartActivity("client"))
        {
            Assert.NotNull(root);
            trace = root.TraceId;
            await run.Deploy(spec.ToJson(), 2);
            await run.Step(spec.TotalTicks);
        }

        Activity[] mine;
        lock (spans)
        {
            mine = [.. spans.Where(s => s.TraceId == trace)];
        }

        var names = mine.Select(s => s.OperationName).ToHashSet();
        Assert.Contains("neuromesh.deploy", names);
        Assert.Contains("neuromesh.run", names);
        Assert.Contains("neuromesh.place", names);
        Assert.Contains("neuromesh.checkpoint", names);
        // Both shards' Prepare calls (one per silo, pinned) are server spans of the same trace.
        var prepares = mine.Where(s => s.Source.Name == "Microsoft.Orleans.Application" && s.Kind == ActivityKind.Server && s.OperationName.Contains("Prepare", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, prepares.Length);
    }
}
