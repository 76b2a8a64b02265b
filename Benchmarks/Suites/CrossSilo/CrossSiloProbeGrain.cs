using NeuroMesh.Cluster;
using NeuroMesh.Placement;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>Runs on the receiving silo; every call goes to that silo's <see cref="LatencyRecorder"/>.</summary>
[SiloPinnedPlacement]
public sealed class CrossSiloProbeGrain(LatencyRecorder recorder) : Grain, ICrossSiloProbeGrain
{
    public Task Deliver(byte[] frame)
    {
        recorder.DeliverFrame(frame);
        return Task.CompletedTask;
    }

    public Task Reset()
    {
        recorder.Reset();
        return Task.CompletedTask;
    }

    public Task<LatencyStats> Stats() => Task.FromResult(recorder.Stats());
}
