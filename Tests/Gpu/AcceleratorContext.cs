using NeuroMesh.Engine.Ilgpu;

namespace NeuroMesh.Tests.Gpu;

/// <summary>Where a GPU test runs: each derived test class binds the shared tests to one accelerator.</summary>
public abstract class AcceleratorContext
{
    /// <summary>The accelerator the tests ask for.</summary>
    public abstract IlgpuDevice Device { get; }

    /// <summary>Whether that accelerator exists on this machine; tests skip (never fail) when it does not.</summary>
    public abstract bool Available { get; }

    public IlgpuEngineOptions Options(int presynapticMinSpikes = 0) => new() { Device = Device, PresynapticMinSpikes = presynapticMinSpikes };

    public void SkipIfAbsent() => Skip.IfNot(Available, $"no {Device} device on this machine");
}

/// <summary>ILGPU's CPU accelerator: always present, so these tests always run.</summary>
public sealed class CpuEmulatorContext : AcceleratorContext
{
    public override IlgpuDevice Device => IlgpuDevice.CpuEmulator;

    public override bool Available => true;
}

/// <summary>A CUDA device, when the machine has one.</summary>
public sealed class CudaContext : AcceleratorContext
{
    public override IlgpuDevice Device => IlgpuDevice.Cuda;

    public override bool Available => DeviceHost.CudaPresent;
}

/// <summary>
/// The tests that use ILGPU's accelerators run one class at a time: the process has one CPU-emulator accelerator whose
/// gate every engine on it takes for a whole run, so parallel classes would wait on each other, and the 2-core machine's
/// emulator (milliseconds per kernel launch) would push the cluster tests past their call timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AcceleratorCollection
{
    public const string Name = "ilgpu accelerators";
}

