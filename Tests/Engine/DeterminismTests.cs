using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

public class DeterminismTests
{
    [Theory]
    [InlineData("cuba.json", 1500)]
    [InlineData("delta_delays.json", 1500)]
    [InlineData("coba.json", 1500)]
    public void The_spike_train_hash_is_bit_identical_for_every_thread_count(string example, long ticks)
    {
        var spec = NetworkSpec.Load(Path.Combine(Network.NetworkSpecValidationTests.ExamplesDirectory(), example));
        string? reference = null;
        // Forced parallel runs exercise the barrier path; adaptive runs with several partitions mostly take the serial path.
        foreach (var (threads, adaptive) in new[] { (1, true), (2, false), (3, false), (4, false), (2, true), (4, true) })
        {
            using var engine = new CpuEngine(spec, new EngineOptions { Threads = threads, AdaptiveParallelism = adaptive });
            var result = engine.Run(ticks);
            Assert.True(result.Spikes.Length > 100, $"{example} should fire ({result.Spikes.Length} spikes)");
            reference ??= result.SpikeTrainHash;
            Assert.Equal(reference, result.SpikeTrainHash);
        }
    }

    [Fact]
    public void The_seed_decides_the_network_and_the_hash()
    {
        var spec = NetworkSpec.Load(Path.Combine(Network.NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 50 };
        using var a = new CpuEngine(spec);
        using var b = new CpuEngine(spec);
        using var c = new CpuEngine(spec, new EngineOptions { Seed = 99 });
        var ha = a.Run().SpikeTrainHash;
        Assert.Equal(ha, b.Run().SpikeTrainHash);
        Assert.NotEqual(ha, c.Run().SpikeTrainHash);
        Assert.Equal(64, ha.Length);
    }

    [Fact]
    public void A_run_split_in_two_gives_the_same_spikes_as_one_run()
    {
        var spec = NetworkSpec.Load(Path.Combine(Network.NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 60 };
        using var whole = new CpuEngine(spec);
        using var split = new CpuEngine(spec, new EngineOptions { Threads = 2 });
        var all = whole.Run(600).Spikes;
        var parts = split.Run(250).Spikes.Concat(split.Run(350).Spikes).ToArray();
        Assert.Equal(all, parts);
    }

    [Fact]
    public void The_hash_is_sha256_over_sorted_tick_and_neuron_pairs()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons());
        engine.ForceSpike(1);
        var result = engine.Run(3);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 0L);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), 1);
        Assert.Equal([new SpikeRecord(0, 1)], result.Spikes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), result.SpikeTrainHash);
        Assert.Equal([0, 1], result.SpikeCounts);
    }
}
