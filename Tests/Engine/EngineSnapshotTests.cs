using System.Security.Cryptography;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Hashing;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Network;
using NeuroMesh.Tests.Gpu;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class EngineSnapshotTests
{
    public static TheoryData<string> Networks => ["cuba", "coba", "delta_delays", "stdp", "rstdp"];

    /// <summary>The networks the parity tests run: the examples, and delta_delays with STDP or R-STDP (rewarded) on E→E.</summary>
    internal static NetworkSpec Network(string name) => name switch
    {
        "stdp" => EngineParityTestsOnCpuEmulator.PlasticDelta(PlasticityKinds.Stdp, duration: 100),
        "rstdp" => Rewarded(EngineParityTestsOnCpuEmulator.PlasticDelta(PlasticityKinds.RStdp, duration: 100)),
        _ => ExamplesDirectory.Spec(name + ".json"),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_restored_engine_continues_with_the_same_spikes_weights_and_state(string network)
    {
        var spec = Network(network);
        const long before = 400, after = 400;
        using var original = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        original.Run(before);
        var state = RoundTrip(original.ExportState(), spec);

        using var restored = new CpuEngine(spec, new EngineOptions { Threads = 2 });
        restored.ImportState(state);
        Assert.Equal(before, restored.CurrentTick);
        var expected = original.Run(after);
        var actual = restored.Run(after);

        Assert.True(expected.Spikes.Length > 20, $"{network} must fire after the snapshot ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, actual.Spikes);
        AssertSameState(original.ExportState(), restored.ExportState());
    }

    [Fact]
    public void Spikes_in_flight_across_the_snapshot_are_delivered_once()
    {
        // delta_delays: delays of 1-3 ms, so at any tick boundary input from earlier spikes waits in the rings.
        var spec = Network("delta_delays");
        using var original = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        original.Run(500);
        var state = original.ExportState();
        var pending = Enumerable.Range(2, state.Slots - 2).Sum(k => Enumerable.Range(0, state.NeuronCount).Count(i => state.Ring(0, k, i) != 0));
        Assert.True(pending > 0, "the snapshot must hold input that arrives two or more ticks later");

        using var restored = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        restored.ImportState(state);
        using var cold = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var expected = original.Run(100);
        Assert.Equal(expected.Spikes, restored.Run(100).Spikes);

        // The same state without its rings (input in flight dropped) gives other spikes: the rings carry what is in flight.
        var dropped = Without(state, rings: true);
        cold.ImportState(dropped);
        Assert.NotEqual(expected.SpikeTrainHash, cold.Run(100).SpikeTrainHash);
    }

    [Theory]
    [InlineData("cuba", 2, 3)]
    [InlineData("stdp", 3, 2)]
    [InlineData("rstdp", 2, 1)]
    public void A_snapshot_of_N_shards_restores_onto_M_shards_with_the_same_spikes_and_weights(string network, int from, int to)
    {
        var spec = Network(network);
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        single.Run(300);
        var at300 = single.ExportState();
        var continued = single.Run(330);

        using var sharded = new ShardRunner(spec, from).Run(300);
        var parts = sharded.Engines.Select(e => e.ExportState()).ToArray();
        var state = RoundTrip(EngineState.Concat(parts), spec);
        AssertSameState(at300, state);

        using var rescaled = new ShardRunner(spec, to);
        foreach (var engine in rescaled.Engines)
        {
            engine.ImportState(state);
        }

        rescaled.Run(330);
        Assert.Equal(continued.SpikeTrainHash, rescaled.Hash);
        AssertSameState(single.ExportState(), EngineState.Concat([.. rescaled.Engines.Select(e => e.ExportState())]));
    }

    [Fact]
    public void A_state_of_another_network_or_an_engine_that_ran_is_refused_and_nothing_changes()
    {
        var spec = Network("stdp");
        using var source = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        source.Run(200);
        var state = source.ExportState();

        using var ran = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        ran.Run(10);
        var refused = Assert.Throws<InvalidOperationException>(() => ran.ImportState(state));
        Assert.Contains("freshly built", refused.Message);
        Assert.Equal(10, ran.CurrentTick);

        using var otherSeed = new CpuEngine(spec, new EngineOptions { Threads = 1, Seed = 99 });
        var before = otherSeed.ExportState();
        var mismatch = Assert.Throws<ArgumentException>(() => otherSeed.ImportState(state));
        Assert.Contains("another spec or seed", mismatch.Message);
        Assert.Equal(0, otherSeed.CurrentTick);
        AssertSameState(before, otherSeed.ExportState());

        using var cuba = new CpuEngine(Network("cuba"), new EngineOptions { Threads = 1 });
        Assert.Throws<ArgumentException>(() => cuba.ImportState(state));

        using var edited = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        edited.PruneSynapses(0, 1);
        edited.AddSynapse(new SynapseDefinition(0, 1, 0.1, 1));
        edited.Run(1);
        Assert.Contains("added or pruned", Assert.Throws<InvalidOperationException>(() => edited.ExportState()).Message);
    }

    [Fact]
    public void A_truncated_tampered_or_newer_file_is_refused_naming_the_reason()
    {
        var spec = Network("cuba");
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        engine.Run(100);
        var (_, bytes) = File(engine.ExportState(), spec);

        Assert.Contains("truncated or altered", Assert.Throws<SnapshotFormatException>(() => RunSnapshot.Parse(bytes[..^100])).Message);
        var tampered = (byte[])bytes.Clone();
        tampered[bytes.Length / 2] ^= 1;
        Assert.Contains("truncated or altered", Assert.Throws<SnapshotFormatException>(() => RunSnapshot.Parse(tampered)).Message);
        var newer = (byte[])bytes.Clone();
        newer[8] = RunSnapshot.FormatVersion + 1;
        Assert.Contains($"format version {RunSnapshot.FormatVersion + 1}", Assert.Throws<SnapshotFormatException>(() => RunSnapshot.Parse(newer)).Message);
        Assert.Contains("magic", Assert.Throws<SnapshotFormatException>(() => RunSnapshot.Parse("{\"not\":\"a snapshot\"}"u8.ToArray())).Message);
    }

    [Theory]
    [InlineData(SnapshotCodec.None)]
    [InlineData(SnapshotCodec.Deflate)]
    [InlineData(SnapshotCodec.Brotli)]
    public void Every_codec_round_trips_the_state(SnapshotCodec codec)
    {
        var spec = Network("rstdp");
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        engine.Run(300);
        var state = engine.ExportState();
        AssertSameState(state, EngineStateCodec.Decode(EngineStateCodec.Encode(state, codec), codec));
    }

    [Fact]
    public void The_resumable_sha256_matches_the_BCL_and_resumes_from_its_state()
    {
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 12 * 4099 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            var sha = new ResumableSha256();
            var at = 0;
            while (at < length)
            {
                var take = Math.Min(length - at, random.Next(1, 200));
                sha.Append(data.AsSpan(at, take));
                at += take;
                sha = ResumableSha256.Import(sha.ExportState()); // resume after every chunk
            }

            Assert.Equal(SHA256.HashData(data), sha.Current());
        }

        var records = Enumerable.Range(0, 1000).Select(i => new SpikeRecord(i / 7, i % 7)).ToArray();
        using var whole = new SpikeTrainHash();
        whole.Append(records);
        using var first = new SpikeTrainHash();
        first.Append(records.AsSpan(0, 333));
        using var resumed = SpikeTrainHash.Resume(first.Count, first.ExportState());
        resumed.Append(records.AsSpan(333));
        Assert.Equal(whole.Current(), resumed.Current());
        Assert.Equal(1000, resumed.Count);
        Assert.Throws<ArgumentException>(() => SpikeTrainHash.Resume(334, first.ExportState()));
    }

    internal static (RunSnapshot Snapshot, byte[] Bytes) File(EngineState state, NetworkSpec spec)
    {
        using var hash = new SpikeTrainHash();
        var json = spec.ToJson();
        return RunSnapshot.Build("test", json, "spec", state.Tick, hash, SnapshotCodec.Brotli, [(state.Lo, state.Hi, EngineStateCodec.Encode(state, SnapshotCodec.Brotli))]);
    }

    /// <summary>The state through a whole snapshot file and back, as a restore reads it.</summary>
    private static EngineState RoundTrip(EngineState state, NetworkSpec spec) => RunSnapshot.Parse(File(state, spec).Bytes).DecodeState();

    private static NetworkSpec Rewarded(NetworkSpec spec) => spec with
    {
        Stimuli =
        [
            .. spec.Stimuli,
            new StimulusSpec { Name = "reward", Kind = StimulusKinds.Poisson, Target = "E", Rate = 50, Count = 1, Weight = 1, Channel = SynapseChannels.Modulatory },
        ],
    };

    internal static EngineState Without(EngineState s, bool rings) => new()
    {
        Tick = s.Tick, NeuronCount = s.NeuronCount, FixedShift = s.FixedShift, Lo = s.Lo, Hi = s.Hi, Slots = s.Slots,
        V = s.V, Ge = s.Ge, Gi = s.Gi, RefUntil = s.RefUntil,
        Rings = rings ? [.. s.Rings.Select(r => new int[r.Length])] : s.Rings,
        Rules = s.Rules, PlasticPerTarget = s.PlasticPerTarget, PlasticSource = s.PlasticSource, PlasticWeight = s.PlasticWeight,
        Eligibility = s.Eligibility, EligibilityTick = s.EligibilityTick,
    };

    internal static void AssertSameState(EngineState expected, EngineState actual)
    {
        Assert.Equal(expected.Tick, actual.Tick);

        Assert.Equal((expected.Lo, expected.Hi, expected.NeuronCount, expected.FixedShift), (actual.Lo, actual.Hi, actual.NeuronCount, actual.FixedShift));
        Same(expected.V, actual.V, "V");
        Same(expected.Ge, actual.Ge, "Ge");
        Same(expected.Gi, actual.Gi, "Gi");
        Same(expected.RefUntil, actual.RefUntil, "RefUntil");
        var slots = Math.Max(expected.Slots, actual.Slots);
        for (var c = 0; c < 3; c++)
        {
            for (var k = 0; k < slots; k++)
            {
                for (var i = expected.Lo; i < expected.Hi; i++)
                {
                    Assert.True(expected.Ring(c, k, i) == actual.Ring(c, k, i), $"ring {c}, {k} tick(s) ahead, neuron {i}: {expected.Ring(c, k, i)} != {actual.Ring(c, k, i)}");
                }
            }
        }

        Assert.Equal(expected.Rules.Length, actual.Rules.Length);
        for (var r = 0; r < expected.Rules.Length; r++)
        {
            Same(expected.Rules[r].PostY, actual.Rules[r].PostY, $"rule {r} PostY");
            Same(expected.Rules[r].PostT, actual.Rules[r].PostT, $"rule {r} PostT");
            Same(expected.Rules[r].PreX, actual.Rules[r].PreX, $"rule {r} PreX");
            Same(expected.Rules[r].PreT, actual.Rules[r].PreT, $"rule {r} PreT");
        }

        Same(expected.PlasticPerTarget, actual.PlasticPerTarget, "PlasticPerTarget");
        Same(expected.PlasticSource, actual.PlasticSource, "PlasticSource");
        Same(expected.PlasticWeight, actual.PlasticWeight, "PlasticWeight");
        Same(expected.Eligibility, actual.Eligibility, "Eligibility");
        Same(expected.EligibilityTick, actual.EligibilityTick, "EligibilityTick");
    }

    private static void Same<T>(T[] expected, T[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => !EqualityComparer<T>.Default.Equals(expected[i], actual[i]), -1);
        Assert.True(first < 0, $"{what} differs first at index {first}: expected {(first < 0 ? default : expected[first])}, got {(first < 0 ? default : actual[first])}");
    }
}
