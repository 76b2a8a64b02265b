using NeuroMesh.Cluster;
using NeuroMesh.Placement;

namespace NeuroMesh.Simulation;

/// <summary>The cluster's handle on one silo's <see cref="GpuWorker"/>, activated on the silo its key names.</summary>
[SiloPinnedPlacement]
public sealed class GpuWorkerGrain(GpuWorker worker) : Grain, IGpuWorkerGrain
{
    /// <inheritdoc />
    public Task<GpuWorkerStatus> GetStatus() => Task.FromResult(worker.Status());

    /// <inheritdoc />
    public Task<bool> InjectDeviceFault(string reason) => Task.FromResult(worker.InjectFault(reason));
}
