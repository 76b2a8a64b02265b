using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Simulation;

/// <summary>What one engine on one thread makes of a spec: the reference every lockstep run must match exactly.</summary>
internal static class SingleEngine
{
    /// <summary>The spike count, spike-train hash and spikes of <paramref name="spec"/> run to its end on one engine.</summary>
    public static (long Spikes, string Hash, SpikeRecord[] Records) Reference(NetworkSpec spec)
    {
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var result = engine.Run(spec.TotalTicks);
        return (result.Spikes.Length, result.SpikeTrainHash, result.Spikes);
    }
}
