using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Network;

namespace NeuroMesh.Engine;

/// <summary>
/// Picks the engine for a network: <see cref="IlgpuEngine"/> on a CUDA (then OpenCL) device when one is present and the
/// network uses only what the kernels cover, otherwise <see cref="CpuEngine"/>. ILGPU's CPU accelerator is never
/// chosen here: it emulates a GPU about 50× slower than CpuEngine and exists to test the kernels.
/// </summary>
public static class EngineFactory
{
    /// <summary>Builds the engine <see cref="Choose"/> picks.</summary>
    public static IPropagationEngine Create(NetworkSpec spec, EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        return Choose(spec).Gpu
            ? new IlgpuEngine(spec, new IlgpuEngineOptions { MaxDelayTicks = options.MaxDelayTicks, Seed = options.Seed })
            : new CpuEngine(spec, options);
    }

    /// <summary>Which engine <see cref="Create"/> builds for <paramref name="spec"/>, and why.</summary>
    public static (bool Gpu, string Reason) Choose(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IlgpuEngine.IsPresent(IlgpuDevice.Auto))
        {
            return (false, "CpuEngine: no CUDA or OpenCL device is present (production without a GPU runs on CpuEngine; ILGPU's CPU accelerator is only a test vehicle)");
        }

        return IlgpuEngine.Unsupported(spec) is { } reason
            ? (false, $"CpuEngine: {reason}")
            : (true, $"IlgpuEngine on {(DeviceHost.CudaPresent ? "CUDA" : "OpenCL")}");
    }
}
