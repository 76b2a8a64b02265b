using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class ShardTests
{
    private static string SingleHash(NetworkSpec spec, long ticks)
    {
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var result = engine.Run(ticks);
        Assert.True(result.Spikes.Length > 100, $"the network should fire ({result.Spikes.Length} spikes)");
        return result.SpikeTrainHash;
    }

    /// <summary>delta_delays with STDP on E→E (weights can move between 0 and 0.4 mV); <paramref name="delayMs"/> replaces its delays when given.</summary>
    private static NetworkSpec Plastic(double? delayMs = null)
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 200 };
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.02, AMinus = 0.024, TauPlus = 15, TauMinus = 20, WMin = 0, WMax = 0.4 };
        return spec with
        {
            Projections = [.. spec.Projections.Select(p => p.Name != "E_all_E" ? p : p with
            {
                Plasticity = stdp, Delay = delayMs is { } d ? DistributionSpec.Constant(d) : p.Delay,
            })],
        };
    }

    [Theory]
    [InlineData("cuba.json", 1500L, null)]
    [InlineData("cuba.json", 10_000L, "dc191ae06d2fdd1416e3c9a15665ee92c96cf45bae4427f0193f47689f34436e")] // the single-engine hash the README shows
    [InlineData("delta_delays.json", 2000L, null)]
    public void The_union_of_the_shards_has_the_single_engine_hash(string example, long ticks, string? pinned)
    {
        var spec = ExamplesDirectory.Spec(example);
        var single = SingleHash(spec, ticks);
        Assert.Equal(pinned ?? single, single);
        foreach (var k in ticks > 2000 ? new[] { 2, 3 } : [1, 2, 3, 4])
        {
            using var run = new ShardRunner(spec, k).Run(ticks);
            Assert.Equal(single, run.Hash);
        }
    }

    [Fact]
    public void Shards_with_several_threads_and_frames_on_the_wire_keep_the_hash()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json");
        var single = SingleHash(spec, 600);
        using var run = new ShardRunner(spec, 3, viaFrames: true, threads: 2).Run(600);
        Assert.All(run.Engines, e => Assert.Equal(2, Assert.IsType<CpuEngine>(e).Threads));
        Assert.Equal(single, run.Hash);
        Assert.All(run.Ingress, i => Assert.Equal(0, i.Decoder.RejectedTotal));
        Assert.All(run.Ingress, i => Assert.True(i.Decoder.Accepted >= 2 * run.Engines[0].WindowsRun));
    }

    [Theory]
    [InlineData(null, 0)] // delays 1–3 ms: windows of 11 ticks, so STDP on remote sources is replayed over many ticks
    [InlineData(null, 3)] // shorter windows than D: many windows without remote spikes, whose post spikes still potentiate
    [InlineData(0.0, 0)] // delay 0: windows of one tick, pre and post in the same tick
    public void Stdp_across_shards_gives_the_same_spikes_and_weights(double? delayMs, int window)
    {
        var spec = Plastic(delayMs);
        var ticks = spec.TotalTicks;
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var hash = single.Run(ticks).SpikeTrainHash;
        var random = new Random(5);
        var pairs = Enumerable.Range(0, 4000).Select(_ => (S: random.Next(800), T: random.Next(800))).ToArray();
        foreach (var k in new[] { 2, 3, 4 })
        {
            using var run = new ShardRunner(spec, k).Run(ticks, window);
            Assert.Equal(hash, run.Hash);
            Assert.Equal(delayMs is null ? 11 : 1, run.Plan.WindowTicks);
            int present = 0, moved = 0, remote = 0;
            foreach (var (s, t) in pairs)
            {
                var owner = run.Engines[run.Plan.ShardOf(t)];
                Assert.Equal(single.TryGetWeight(s, t, out var expected), owner.TryGetWeight(s, t, out var actual));
                Assert.Equal(expected, actual);
                present += expected != 0 || actual != 0 ? 1 : 0;
                moved += Math.Abs(expected - 0.2) > 1e-6 ? 1 : 0;
                remote += run.Plan.ShardOf(s) != run.Plan.ShardOf(t) && Math.Abs(expected - 0.2) > 1e-6 ? 1 : 0;
            }

            Assert.True(moved > 100 && remote > 50, $"STDP should move many weights, across shards too ({present} present, {moved} moved, {remote} remote)");
        }
    }

    [Fact]
    public void The_window_is_the_smallest_latency_of_a_synapse_across_shards()
    {
        var q = Specs.Quiet();
        ProjectionSpec Link(string name, string from, string to, string rule, double delay) => new()
        {
            Name = name, Source = from, Target = to, Rule = new ConnectionRuleSpec { Kind = rule }, Weight = DistributionSpec.Constant(1),
            Delay = DistributionSpec.Constant(delay),
        };
        var spec = new NetworkSpec
        {
            Populations = [new PopulationSpec { Name = "A", Size = 4, Params = q }, new PopulationSpec { Name = "B", Size = 4, Params = q }],
            Projections =
            [
                Link("AB", "A", "B", ConnectionRuleKinds.OneToOne, 0.7),
                Link("BA", "B", "A", ConnectionRuleKinds.OneToOne, 0.3),
                Link("AA", "A", "A", ConnectionRuleKinds.AllToAll, 0),
            ],
        };

        var one = ShardPlan.Create(spec, 1);
        Assert.Equal((ShardPlan.UnboundedWindowTicks, (string?)null), (one.WindowTicks, one.WindowProjection));
        var two = ShardPlan.Create(spec, 2); // A | B: AA stays inside a shard, BA (3 ticks) acts 4 ticks after its spike
        Assert.Equal((4, "BA"), (two.WindowTicks, two.WindowProjection));
        Assert.Equal((0, 4, 4, 8), (two.Lo(0), two.Hi(0), two.Lo(1), two.Hi(1)));
        var four = ShardPlan.Create(spec, 4); // A splits: AA (delay 0) crosses and acts in the next tick
        Assert.Equal((1, "AA"), (four.WindowTicks, four.WindowProjection));

        using var engine = new CpuEngine(spec, new EngineOptions { Shard = two.For(0) });
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.RunWindow(5));
        Assert.Equal(4, engine.RunWindow().Ticks);
    }

    [Fact]
    public void A_remote_spike_reaches_its_target_in_the_same_tick_as_in_one_engine()
    {
        // A fires at tick 7 and drives B (on the other shard) through a 0.3 ms synapse: B fires at 7 + 3 + 1 either way.
        var spec = Specs.TwoNeurons(projection: Specs.AToB(50, 0.3)) with
        {
            Stimuli = [new StimulusSpec { Name = "kick", Kind = StimulusKinds.SpikeTimes, Target = "A", Weight = 50, Spikes = [new SpikeTimeSpec { Neuron = 0, Time = 0.7 }] }],
        };
        using var run = new ShardRunner(spec, 2).Run(40);
        Assert.Equal(4, run.Plan.WindowTicks);
        Assert.Equal([new(7, 0), new(11, 1)], run.Spikes.OrderBy(s => s.Tick));
    }

    [Fact]
    public void A_frame_for_a_closed_window_or_from_a_non_peer_is_refused_and_counted_and_the_run_stays_exact()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 60 };
        using var runner = new ShardRunner(spec, 2, viaFrames: true);
        var w = (ulong)runner.Plan.WindowTicks;
        runner.Run((long)w); // window 0 on both shards, exchanged

        // Shard 0 runs window 1 and waits for shard 1's end of it. Well-formed frames with the next sequence arrive
        // first: shard 1's end-of-window marker for window 0 again and one for window 2, and markers from shard 7 (no
        // such shard) and from shard 0 itself.
        var own = runner.Engines[0].RunWindow((int)w);
        runner.Spikes.AddRange(own.ToRecords());
        var ingress = runner.Ingress[0];
        var next = (ulong)ingress.Decoder.Accepted + 1; // shard 1 is shard 0's only sender
        Assert.Equal(SpikeFrameRejection.OutsideWindow, ingress.Accept(SpikeFrame.Encode(1, next, 0, w - 1, [], SpikeFrameFlags.EndOfWindow)));
        Assert.Equal(SpikeFrameRejection.OutsideWindow, ingress.Accept(SpikeFrame.Encode(1, next, 2 * w, (3 * w) - 1, [], SpikeFrameFlags.EndOfWindow)));
        Assert.Equal(SpikeFrameRejection.UnknownSender, ingress.Accept(SpikeFrame.Encode(7, 1, w, (2 * w) - 1, [], SpikeFrameFlags.EndOfWindow)));
        Assert.Equal(SpikeFrameRejection.UnknownSender, ingress.Accept(SpikeFrame.Encode(0, 1, w, (2 * w) - 1, [], SpikeFrameFlags.EndOfWindow)));
        Assert.Equal((2, 2), (ingress.Decoder.Rejected(SpikeFrameRejection.OutsideWindow), ingress.Decoder.Rejected(SpikeFrameRejection.UnknownSender)));
        Assert.False(runner.Engines[0].PeersComplete); // no stale marker ended window 1
        Assert.Equal([1], runner.Engines[0].MissingPeers());

        // Shard 1's real window 1, whose frame carries that same next sequence, completes it, and the run goes on to the
        // single engine's spikes.
        var accepted = ingress.Decoder.Accepted;
        var peer = runner.Engines[1].RunWindow((int)w);
        runner.Spikes.AddRange(peer.ToRecords());
        runner.Exchange(own);
        runner.Exchange(peer);
        Assert.True(runner.Engines[0].PeersComplete);
        Assert.True(ingress.Decoder.Accepted > accepted);
        runner.Run(spec.TotalTicks - (2 * (long)w));
        Assert.Equal(SingleHash(spec, spec.TotalTicks), runner.Hash);
    }

    /// <summary>Areas A (450) and B (350), each wired within itself, and a sparse A→B projection.</summary>
    private static NetworkSpec UnevenAreas() => NetworkSpec.Parse("""
        {
          "dt": 0.1, "duration": 100, "seed": 5,
          "populations": [
            { "name": "A", "size": 450, "model": "lif_delta", "params": { "tauM": 20, "vRest": 0, "vThreshold": 20, "vReset": 10, "refractory": 2 } },
            { "name": "B", "size": 350, "model": "lif_delta", "params": { "tauM": 20, "vRest": 0, "vThreshold": 20, "vReset": 10, "refractory": 2 } }
          ],
          "projections": [
            { "name": "AA", "source": "A", "target": "A", "rule": { "kind": "fixed_in_degree", "n": 40 }, "channel": "excitatory", "weight": 0.1, "delay": 1.5 },
            { "name": "BB", "source": "B", "target": "B", "rule": { "kind": "fixed_in_degree", "n": 40 }, "channel": "excitatory", "weight": 0.1, "delay": 1.5 },
            { "name": "AB", "source": "A", "target": "B", "rule": { "kind": "fixed_in_degree", "n": 2 }, "channel": "excitatory", "weight": 0.1, "delay": 1.5 }
          ],
          "stimuli": [ { "name": "drive", "kind": "poisson", "target": "A", "rate": 20, "count": 300, "weight": 0.2 },
                       { "name": "driveB", "kind": "poisson", "target": "B", "rate": 20, "count": 300, "weight": 0.2 } ]
        }
        """);

    [Fact]
    public void A_bound_moves_to_an_area_edge_within_tolerance_so_that_fewer_synapses_cross_and_the_hash_is_kept()
    {
        // The even bound 400 would split A (18,000 A→A synapses, about a fifth of them across); A's edge at 450 is
        // 12.5% of a shard away, within the 15% tolerance, and only A→B's 700 synapses cross there.
        var spec = UnevenAreas();
        var two = ShardPlan.Create(spec, 2);
        Assert.Equal([(0, 450), (450, 800)], Enumerable.Range(0, 2).Select(k => (two.Lo(k), two.Hi(k))));
        Assert.Equal(350 * 2, two.CrossingSynapses);
        Assert.Equal(450 * 40 + 350 * 40 + 350 * 2, two.Synapses);
        using (var run = new ShardRunner(spec, 2).Run(spec.TotalTicks))
        {
            Assert.Equal(SingleHash(spec, spec.TotalTicks), run.Hash);
        }

        // CUBA's only population edge (3200) is far from 2000: the even split stays.
        var cuba = ShardPlan.Create(ExamplesDirectory.Spec("cuba.json"), 2);
        Assert.Equal(2000, cuba.Hi(0));
    }

    [Fact]
    public void Shard_bounds_move_so_that_rstdp_populations_stay_on_one_shard_and_the_hash_is_kept()
    {
        var spec = ExamplesDirectory.Spec("routes.json") with { Duration = 300 };
        var single = SingleHash(spec, spec.TotalTicks);

        // Populations: sensors [0,50), useful [50,100), noisy [100,150), actuators [150,200), critic [200,250); the two
        // R-STDP routes span [50,200), so the even bounds 125 (2 shards) and 83/166 (3 shards) move to its edges.
        var two = ShardPlan.Create(spec, 2);
        Assert.Equal([(0, 50), (50, 250)], Enumerable.Range(0, 2).Select(k => (two.Lo(k), two.Hi(k))));
        var three = ShardPlan.Create(spec, 3);
        Assert.Equal([(0, 50), (50, 200), (200, 250)], Enumerable.Range(0, 3).Select(k => (three.Lo(k), three.Hi(k))));
        Assert.Equal(11, three.WindowTicks);

        foreach (var k in new[] { 2, 3 })
        {
            using var run = new ShardRunner(spec, k).Run(spec.TotalTicks);
            Assert.Equal(single, run.Hash);
        }
    }

    [Fact]
    public void An_rstdp_projection_across_shards_is_rejected_by_name()
    {
        var rstdp = new PlasticitySpec { Kind = PlasticityKinds.RStdp, WMin = 0, WMax = 1 };
        var spec = Specs.TwoNeurons(projection: Specs.AToB(0.5, 1, plasticity: rstdp));
        var e = Assert.Throws<NetworkSpecException>(() => ShardPlan.Create(spec, 2));
        Assert.Contains("R-STDP projection(s) 'AB' must keep their populations on one shard", e.Message);
        Assert.Contains("leaves shard 0 without neurons", e.Message);
        Assert.Equal("$.projections[0]", e.Errors.Single().Path);
        Assert.Equal(1, ShardPlan.Create(spec, 1).ShardCount); // on one shard nothing crosses
    }

    [Fact]
    public void A_corrupted_frame_is_rejected_and_the_run_stops_until_the_window_is_complete()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json");
        var single = SingleHash(spec, 660);
        using var run = new ShardRunner(spec, 2, viaFrames: true).Run(33);
        byte[]? original = null;
        run.Tamper = (from, to, frame) =>
        {
            if (from != 0 || original is not null)
            {
                return frame;
            }

            original = frame;
            var bad = (byte[])frame.Clone();
            bad[12] ^= 0x01; // the CRC field
            return bad;
        };
        var windows = run.Engines.Select(e => e.RunWindow(run.Plan.WindowTicks)).ToArray();
        run.Spikes.AddRange(windows.SelectMany(w => w.ToRecords()));
        foreach (var w in windows)
        {
            run.Exchange(w);
        }

        Assert.Equal(1, run.Ingress[1].Decoder.Rejected(SpikeFrameRejection.BadChecksum));
        var e = Assert.Throws<InvalidOperationException>(() => run.Engines[1].RunWindow(run.Plan.WindowTicks));
        Assert.Contains("no end of window 3 (ticks 33..43) from shard(s) 0", e.Message);

        // The intact frame arrives late (a retransmission): it is accepted, and the run goes on bit-identically.
        run.Tamper = null;
        Assert.Equal(SpikeFrameRejection.None, run.Ingress[1].Accept(original!));
        run.Run(660 - 44);
        Assert.Equal(single, run.Hash);
    }

    [Fact]
    public void Bad_shard_input_gets_clear_errors()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 10 };
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Create(spec, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Create(spec, 1001));
        var plan = ShardPlan.Create(spec, 2);
        Assert.Contains("seed", Assert.Throws<ArgumentException>(() => new CpuEngine(spec, new EngineOptions { Shard = plan.For(0), Seed = 3 })).Message);
        Assert.Contains("another spec", Assert.Throws<ArgumentException>(() => new CpuEngine(spec with { Duration = 20 }, new EngineOptions { Shard = plan.For(0) })).Message);

        using var engine = new CpuEngine(spec, new EngineOptions { Shard = plan.For(1) });
        Assert.Throws<InvalidOperationException>(() => engine.Run(10));
        Assert.Throws<InvalidOperationException>(() => engine.Step());
        Assert.Throws<InvalidOperationException>(() => engine.IngestRemote(0, []));
        var w = engine.RunWindow();
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.IngestRemote(1, []));
        var foreign = Spike.Create(700, Spike.BroadcastTarget, tick: 0); // neuron 700 belongs to shard 1, not shard 0
        Assert.Contains("not from shard 0", Assert.Throws<ArgumentException>(() => engine.IngestRemote(0, [foreign])).Message);
        var late = Spike.Create(3, Spike.BroadcastTarget, tick: (uint)(w.LastTick + 1));
        Assert.Throws<ArgumentException>(() => engine.IngestRemote(0, [late]));
        engine.IngestRemote(0, []);
        Assert.Throws<InvalidOperationException>(() => engine.IngestRemote(0, [])); // a second end of the same window
        Assert.Throws<ArgumentException>(() => engine.AddSynapse(new SynapseDefinition(0, 3, 1, 20)));
        Assert.Throws<ArgumentException>(() => engine.AddSynapse(new SynapseDefinition(0, 600, 1, 2)));
        using var whole = new CpuEngine(spec);
        Assert.Throws<InvalidOperationException>(() => whole.RunWindow());
    }
}
