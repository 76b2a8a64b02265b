using NeuroMesh.Engine.Ilgpu;

namespace NeuroMesh.Hosting;

/// <summary>
/// The <c>NeuroMesh:Gpu</c> settings: where a silo's region shards run. Without a GPU (the embedded default on a
/// machine without one) every shard runs on CpuEngine whatever these say, except that <c>Offload=gpu</c> then refuses
/// the run with a clear error.
/// </summary>
public sealed class GpuWorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Gpu";

    /// <summary>
    /// <c>auto</c> (the default): a shard goes to the device when one is present, the kernels cover its network, and it
    /// has at least <see cref="MinNeurons"/> neurons; <c>gpu</c>: every shard goes to the device or the run is refused
    /// with the reason; <c>cpu</c>: never.
    /// </summary>
    public string Offload { get; set; } = "auto";

    /// <summary>
    /// The accelerator: <c>auto</c> (CUDA, then OpenCL), <c>cuda</c>, <c>opencl</c>, or <c>emulator</c> (ILGPU's CPU
    /// accelerator, about 50× slower than CpuEngine: only for testing the offload path without a GPU).
    /// </summary>
    public string Device { get; set; } = "auto";

    /// <summary>The smallest shard (neurons) that <c>auto</c> sends to the device; smaller ones run faster on CpuEngine.</summary>
    public int MinNeurons { get; set; } = 20_000;

    /// <summary>The policies <see cref="Offload"/> accepts.</summary>
    public static IReadOnlyList<string> Policies { get; } = ["auto", "gpu", "cpu"];

    /// <summary>The accelerator <see cref="Device"/> names.</summary>
    public IlgpuDevice Accelerator => Device.ToLowerInvariant() switch
    {
        "cuda" => IlgpuDevice.Cuda,
        "opencl" => IlgpuDevice.OpenCL,
        "emulator" => IlgpuDevice.CpuEmulator,
        _ => IlgpuDevice.Auto,
    };

    /// <summary>What is wrong with these settings, naming the setting, or null.</summary>
    public string? Problem()
    {
        if (!Policies.Contains(Offload.ToLowerInvariant()))
        {
            return $"{SectionName}:Offload must be one of {string.Join(", ", Policies)} (got '{Offload}').";
        }

        if (Device.ToLowerInvariant() is not ("auto" or "cuda" or "opencl" or "emulator"))
        {
            return $"{SectionName}:Device must be one of auto, cuda, opencl, emulator (got '{Device}').";
        }

        return MinNeurons < 0 ? $"{SectionName}:MinNeurons must be >= 0 (got {MinNeurons})." : null;
    }
}
