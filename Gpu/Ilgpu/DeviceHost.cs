using ILGPU;
using ILGPU.IR;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// One ILGPU context and accelerator per device kind for the process, with its <see cref="KernelSet"/>, so kernels
/// compile once per accelerator however many engines use it. Engines hold <see cref="Gate"/> while they enqueue and
/// wait, so two engines never interleave work on one accelerator.
/// </summary>
internal sealed class DeviceHost
{
    private static readonly Lock Creation = new();
    private static readonly Dictionary<IlgpuDevice, DeviceHost> Hosts = [];
    private static bool? _cudaPresent;
    private static bool? _openClPresent;
    private KernelSet? _kernels;

    private DeviceHost(Context context, Accelerator accelerator, IlgpuDevice kind)
    {
        Context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    public IlgpuDevice Kind { get; }

    public Lock Gate { get; } = new();

    public KernelSet Kernels
    {
        get
        {
            lock (Gate)
            {
                return _kernels ??= new KernelSet(Accelerator);
            }
        }
    }

    /// <summary>Whether a CUDA device is present (probed once).</summary>
    public static bool CudaPresent => _cudaPresent ??= Probe(c => c.GetCudaDevices().Count > 0, b => b.Cuda());

    /// <summary>Whether an OpenCL device that ILGPU can use is present (probed once).</summary>
    public static bool OpenClPresent => _openClPresent ??= Probe(c => c.GetCLDevices().Count > 0, b => b.OpenCL());

    /// <summary>The host for <paramref name="device"/>; <see cref="IlgpuDevice.Auto"/> resolves to CUDA, then OpenCL.</summary>
    /// <exception cref="NotSupportedException">No such device is present.</exception>
    public static DeviceHost Get(IlgpuDevice device)
    {
        var kind = device switch
        {
            IlgpuDevice.Auto when CudaPresent => IlgpuDevice.Cuda,
            IlgpuDevice.Auto when OpenClPresent => IlgpuDevice.OpenCL,
            IlgpuDevice.Auto => throw new NotSupportedException(
                "no CUDA or OpenCL device is present; without a GPU use CpuEngine (EngineFactory.Create picks it), or IlgpuDevice.CpuEmulator to test the kernels"),
            IlgpuDevice.Cuda when !CudaPresent => throw new NotSupportedException("no CUDA device is present"),
            IlgpuDevice.OpenCL when !OpenClPresent => throw new NotSupportedException("no OpenCL device that ILGPU supports is present"),
            _ when !Enum.IsDefined(device) => throw new ArgumentOutOfRangeException(nameof(device), $"unknown device {device}"),
            _ => device,
        };
        lock (Creation)
        {
            if (!Hosts.TryGetValue(kind, out var host))
            {
                host = Create(kind);
                Hosts[kind] = host;
            }

            return host;
        }
    }

    private static DeviceHost Create(IlgpuDevice kind)
    {
        var context = Context.Create(b =>
        {
            _ = kind switch
            {
                IlgpuDevice.Cuda => b.Cuda(),
                IlgpuDevice.OpenCL => b.OpenCL(),
                // One simulated multiprocessor with one warp of 2 lanes (ILGPU's minimum): every launch wakes and joins
                // each simulated lane's thread, so fewer lanes make the emulator much cheaper on a small machine (measured
                // on the 2-core machine, CUBA 1000 for 20 ms: real-time factor 318 with 4 lanes, 111 with 2; sequential
                // mode 4,760); results do not change.
                _ => b.CPU(new CPUDevice(numThreadsPerWarp: 2, numWarpsPerMultiprocessor: 1, numMultiprocessors: 1)),
            };
            ConfigureCompiler(b);
        });
        Accelerator accelerator = kind switch
        {
            IlgpuDevice.Cuda => context.GetCudaDevice(0).CreateAccelerator(context),
            IlgpuDevice.OpenCL => context.GetCLDevice(0).CreateAccelerator(context),
            _ => context.GetCPUDevice(0).CreateCPUAccelerator(context),
        };
        return new DeviceHost(context, accelerator, kind);
    }

    /// <summary>How every context compiles the kernels (tests that compile PTX without a device use it too).</summary>
    internal static Context.Builder ConfigureCompiler(Context.Builder b)
    {
        b.EnableAlgorithms().Optimize(OptimizationLevel.O1);
        Engine.Kernels.Rn.Register(b.GetIntrinsicManager());
        return b;
    }

    private static bool Probe(Func<Context, bool> any, Action<Context.Builder> configure)
    {
        try
        {
            using var context = Context.Create(configure);
            return any(context);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            return false; // no driver library: no device
        }
    }
}
