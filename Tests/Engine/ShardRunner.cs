using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>
/// A small lockstep coordinator for tests: K sharded engines in one process; after each window every shard's spikes go
/// to every other shard, either directly or encoded as spike frames and decoded by each receiver's ingress.
/// </summary>
internal sealed class ShardRunner : IDisposable
{
    private readonly ShardFrameEncoder[] _encoders;

    /// <param name="engine">Builds each shard's engine (a CpuEngine with <paramref name="threads"/> threads when null).</param>
    public ShardRunner(NetworkSpec spec, int shards, bool viaFrames = false, int threads = 1, Func<ShardAssignment, IShardEngine>? engine = null)
    {
        Plan = ShardPlan.Create(spec, shards);
        Engines = [.. Enumerable.Range(0, shards).Select(k => engine?.Invoke(Plan.For(k)) ?? new CpuEngine(spec, new EngineOptions
        {
            // Adaptive: several partitions per shard without spinning 2 threads per shard on a loaded 2-core machine.
            Shard = Plan.For(k), Threads = threads,
        }))];
        ViaFrames = viaFrames;
        _encoders = [.. Enumerable.Range(0, shards).Select(k => new ShardFrameEncoder(k))];
        Ingress = [.. Engines.Select(e => new ShardFrameIngress(e))];
    }

    public ShardPlan Plan { get; }

    public IShardEngine[] Engines { get; }

    public ShardFrameIngress[] Ingress { get; }

    public bool ViaFrames { get; }

    public List<SpikeRecord> Spikes { get; } = [];

    /// <summary>Called with (sender, receiver, frame) before a frame is delivered; returns the bytes to deliver.</summary>
    public Func<int, int, byte[], byte[]>? Tamper { get; set; }

    public string Hash => SpikeTrains.Hash(Spikes);

    /// <summary>Runs <paramref name="ticks"/> ticks in windows of at most D and exchanges after each window.</summary>
    public ShardRunner Run(long ticks, int window = 0)
    {
        for (long done = 0; done < ticks;)
        {
            var n = (int)Math.Min(window > 0 ? window : Plan.WindowTicks, ticks - done);
            var windows = Engines.Select(e => e.RunWindow(n)).ToArray();
            foreach (var w in windows)
            {
                Spikes.AddRange(w.ToRecords());
                Exchange(w);
            }

            done += n;
        }

        return this;
    }

    public void Exchange(ShardWindow w)
    {
        var frames = ViaFrames ? _encoders[w.Shard].Encode(w) : [];
        for (var to = 0; to < Engines.Length; to++)
        {
            if (to == w.Shard)
            {
                continue;
            }

            if (!ViaFrames)
            {
                Engines[to].IngestRemote(w.Shard, w.Spikes);
                continue;
            }

            foreach (var frame in frames)
            {
                Ingress[to].Accept(Tamper?.Invoke(w.Shard, to, frame) ?? frame);
            }
        }
    }

    public void Dispose()
    {
        foreach (var e in Engines)
        {
            e.Dispose();
        }
    }
}
