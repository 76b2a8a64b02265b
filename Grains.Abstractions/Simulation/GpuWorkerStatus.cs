namespace NeuroMesh.Simulation;

/// <summary>A silo's GPU worker as it stands.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.gpu-worker-status")]
public sealed record class GpuWorkerStatus
{
    /// <summary>The silo (parsable address).</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>The offload policy: auto, gpu or cpu.</summary>
    [Id(1)] public string Offload { get; init; } = string.Empty;

    /// <summary>The accelerator in use (Cuda, OpenCL, CpuEmulator), or "none".</summary>
    [Id(2)] public string Device { get; init; } = string.Empty;

    /// <summary>The accelerator's name as ILGPU reports it (empty when none).</summary>
    [Id(3)] public string DeviceName { get; init; } = string.Empty;

    /// <summary>True once the device failed: every later shard on this silo runs on CpuEngine.</summary>
    [Id(4)] public bool DeviceLost { get; init; }

    /// <summary>Why the device was marked lost (empty while it is not).</summary>
    [Id(5)] public string LostReason { get; init; } = string.Empty;

    /// <summary>Shards running on the device now.</summary>
    [Id(6)] public int ShardsOnDevice { get; init; }

    /// <summary>Shards running on CpuEngine now.</summary>
    [Id(7)] public int ShardsOnCpu { get; init; }

    /// <summary>Times a device failure sent this silo's shards back to CpuEngine.</summary>
    [Id(8)] public long Fallbacks { get; init; }

    /// <summary>The last placement decision and its reason.</summary>
    [Id(9)] public string LastDecision { get; init; } = string.Empty;
}
