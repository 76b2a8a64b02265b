using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using Orleans.Streams;

namespace NeuroMesh.Tests.Simulation;

/// <summary>A run's tap, seen from a real client: every spike once, in order and without gaps; paced runs unfold and stop on pause.</summary>
public sealed class SpikeTapTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-tap-").FullName;
    private EmbeddedCluster? _cluster;
    private IHost? _client;

    private IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db") }, CancellationToken.None);
        _client = await NeuroMesh.Tests.Silo.TestClients.StartAsync(_cluster.ClusterId, [$"127.0.0.1:{_cluster.GatewayPorts[1].ToString(CultureInfo.InvariantCulture)}"]);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_subscribed_client_receives_every_spike_of_a_two_silo_run_in_order_without_gaps()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 250 };
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var expected = engine.Run(spec.TotalTicks);

        var batches = new ConcurrentQueue<SpikeTapBatch>();
        var tap = Client.GetStreamProvider(SpikeTaps.ProviderName).GetStream<SpikeTapBatch>(StreamId.Create(SpikeTaps.Namespace, "tapped"));
        var handle = await tap.SubscribeAsync((batch, _) =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });
        var run = Client.GetGrain<ISimulationGrain>("tapped");
        await run.Deploy(spec.ToJson(), 2);
        await run.Step(300);
        await run.Start();
        await Eventually.Until(() => batches.Sum(b => b.ToTick - b.FromTick), ticks => ticks >= spec.TotalTicks, $"the tap to cover the run's {spec.TotalTicks} ticks", TimeSpan.FromSeconds(60));
        await handle.UnsubscribeAsync();

        var list = batches.ToArray();
        Assert.Equal(0, list[0].FromTick);
        for (var i = 1; i < list.Length; i++)
        {
            Assert.Equal(list[i - 1].ToTick, list[i].FromTick);
        }

        Assert.Equal(spec.TotalTicks, list[^1].ToTick);
        Assert.All(list, b => Assert.Equal((spec.Dt, "tapped"), (b.Dt, b.RunId)));
        var tapped = list.SelectMany(b => b.Ticks.Zip(b.Neurons)).ToArray();
        Assert.Equal(expected.Spikes.Select(s => (s.Tick, s.Neuron)), tapped);
        var status = await run.GetStatus();
        Assert.Equal((RunPhase.Finished, 0L), (status.Phase, status.TapFailures));
        Assert.Equal(list.Length, status.TapBatches);
    }

    [Fact]
    public async Task A_paced_run_unfolds_on_the_tap_and_stops_publishing_when_paused()
    {
        var spec = ExamplesDirectory.Spec("cuba.json");
        var batches = new ConcurrentQueue<SpikeTapBatch>();
        var tap = Client.GetStreamProvider(SpikeTaps.ProviderName).GetStream<SpikeTapBatch>(StreamId.Create(SpikeTaps.Namespace, "paced"));
        await tap.SubscribeAsync((batch, _) =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });
        var run = Client.GetGrain<ISimulationGrain>("paced");
        await run.Deploy(spec.ToJson());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Start(-1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Start(double.NaN));

        // Real time: 1 s of CUBA takes at least 1 s of wall time, in 20 ms slices (200 ticks of 0.1 ms).
        await run.Start(1);
        await Eventually.Until(() => batches.Count, count => count >= 5, "five paced batches", TimeSpan.FromSeconds(60));
        var paused = await run.Pause();
        Assert.Equal(RunPhase.Paused, paused.Phase);
        Assert.InRange(paused.Tick, 1000, spec.TotalTicks - 1);
        Assert.All(batches, b => Assert.Equal(200, b.ToTick - b.FromTick));

        // Nothing is published after the pause. The last batch before it ends at the paused tick; then a step is the
        // barrier: the tap delivers one run's batches in order, so whatever the paused run had published after the pause
        // would arrive before the step's batches. The step's batches must follow the paused tick directly and be all
        // that came, or the run went on after the pause.
        await Eventually.Until(() => batches.Last().ToTick, last => last == paused.Tick, $"the last batch before the pause (tick {paused.Tick}) to arrive", TimeSpan.FromSeconds(60));
        var count = batches.Count;
        var step = Math.Min(200, spec.TotalTicks - paused.Tick);
        var stepped = await run.Step(step);
        Assert.Equal(paused.Tick + step, stepped.Tick);
        await Eventually.Until(() => batches.Last().ToTick, last => last >= stepped.Tick, $"the step's batches up to tick {stepped.Tick} to arrive", TimeSpan.FromSeconds(60));
        var list = batches.ToArray();
        Assert.Equal(paused.Tick, list[count].FromTick);
        for (var i = count + 1; i < list.Length; i++)
        {
            Assert.Equal(list[i - 1].ToTick, list[i].FromTick);
        }

        Assert.Equal(stepped.Tick, list[^1].ToTick);
        Assert.Equal(stepped.Tick, (await run.GetStatus()).Tick);
    }
}
