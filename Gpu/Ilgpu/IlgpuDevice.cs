namespace NeuroMesh.Engine.Ilgpu;

/// <summary>Which ILGPU accelerator an <see cref="IlgpuEngine"/> runs on.</summary>
public enum IlgpuDevice
{
    /// <summary>The first CUDA device, else the first OpenCL device; never the CPU emulator (use CpuEngine without a GPU).</summary>
    Auto,

    /// <summary>The first CUDA device.</summary>
    Cuda,

    /// <summary>The first OpenCL device.</summary>
    OpenCL,

    /// <summary>ILGPU's CPU accelerator: an emulator about 50× slower than CpuEngine, for testing the kernels only.</summary>
    CpuEmulator,
}
