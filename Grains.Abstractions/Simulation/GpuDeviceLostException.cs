namespace NeuroMesh.Simulation;

/// <summary>
/// A shard's device failed mid-window (an ILGPU error, or an injected fault). The silo's GPU worker has marked the
/// device lost; the run that sees this rolls back to its last checkpoint and is placed again on CpuEngine.
/// </summary>
[GenerateSerializer, Alias("neuromesh.gpu-device-lost")]
public sealed class GpuDeviceLostException : Exception
{
    public GpuDeviceLostException()
    {
    }

    public GpuDeviceLostException(string message)
        : base(message)
    {
    }

    public GpuDeviceLostException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The silo whose device failed (parsable address).</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;
}
