namespace NeuroMesh.Simulation;

/// <summary>
/// The GPU worker of one silo (key: the silo's key, see <c>SiloKey</c>; activated on that silo). It owns the silo's
/// accelerator: region shards placed on the silo hand their populations to it by the offload policy
/// (<c>NeuroMesh:Gpu:Offload</c>: auto, gpu or cpu), and when the device fails it marks it lost, so the run rolls back to
/// its last checkpoint and every shard of the silo runs on CpuEngine from then on.
/// </summary>
public interface IGpuWorkerGrain : IGrainWithStringKey
{
    /// <summary>The device, the policy, where the silo's shards run and how often the device was lost.</summary>
    Task<GpuWorkerStatus> GetStatus();

    /// <summary>
    /// Fault injection (chaos testing): the next use of this silo's device (a shard's window, or the building of a shard's
    /// engine there) fails as a lost device would, with <paramref name="reason"/> in the error. Returns false when no
    /// device is in use here (nothing to fail).
    /// </summary>
    Task<bool> InjectDeviceFault(string reason);
}
