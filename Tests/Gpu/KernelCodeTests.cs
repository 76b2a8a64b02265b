using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.OpenCL;
using ILGPU.Runtime.Cuda;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Gpu;

/// <summary>
/// What the CUDA JIT (and an OpenCL compiler) will be given, checked on a machine without a GPU: every kernel is compiled
/// to PTX for an H100 (sm_90) with ILGPU's own PTX backend and the context settings DeviceHost gives CudaAccelerator, and
/// to OpenCL C; the floating-point instructions of the PTX kernels that must match CpuEngine bit for bit are inspected. A PTX <c>add</c>/<c>sub</c>/<c>mul</c> without a rounding modifier
/// may be fused into an FMA by the JIT (one rounding where CpuEngine makes two), and an <c>.approx</c> instruction is not
/// IEEE-rounded, so neither may appear there.
/// </summary>
[Trait("Tier", "Unit")]
public sealed partial class KernelCodeTests
{
    /// <summary>Every kernel KernelSet loads (ILGPU.Algorithms' integer scan aside), with whether it must be bit-exact.</summary>
    public static TheoryData<string> Kernels => [.. Entries().Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_compiles_for_sm_90_without_contractible_or_approximate_float_arithmetic(string name)
    {
        var entry = Entries().Single(e => e.Name == name);
        var ptx = Ptx(entry);

        Assert.Contains(".target sm_", ptx);
        Assert.DoesNotMatch(FusedOp(), ptx);
        var approximate = ApproximateOp().Matches(ptx).Select(m => m.Value.Trim()).ToArray();
        if (entry.Exact)
        {
            var contractible = UnroundedFloatOp().Matches(ptx).Select(m => m.Value.Trim()).ToArray();
            Assert.True(contractible.Length == 0, $"{name}: float operations the CUDA JIT may fuse into an FMA: {string.Join("; ", contractible.Take(5))}");
            Assert.True(approximate.Length == 0, $"{name}: approximate instructions in a bit-exact kernel: {string.Join("; ", approximate)}");
        }
        else
        {
            // COBA's exponential is XMath.Exp (x·log2 e, then ex2.approx on CUDA): documented as close to CpuEngine, not
            // bit-identical, so only its approximations are pinned down.
            Assert.All(approximate, a => Assert.StartsWith("ex2.approx", a));
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_compiles_for_OpenCL(string name)
    {
        // The rounding helpers are ILGPU intrinsics: without an OpenCL mapping the kernels would not compile there at all.
        using var context = Context.Create(b => DeviceHost.ConfigureCompiler(b));
        using var backend = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL12);
        var source = ((CLCompiledKernel)backend.Compile(Description(Entries().Single(e => e.Name == name)), default)).Source;
        Assert.Contains("kernel void", source);
    }

    [Fact]
    public void Every_kernel_the_engine_loads_is_checked_here()
    {
        // KernelSet holds one launcher delegate per kernel (ILGPU.Algorithms' scan aside, which is integer-only): a new
        // kernel must join Entries() so that its PTX is checked too.
        var launchers = typeof(KernelSet).GetProperties()
            .Where(p => typeof(Delegate).IsAssignableFrom(p.PropertyType) && p.Name != nameof(KernelSet.Scan)).Select(p => p.Name).ToArray();
        Assert.Equal(Entries().Count(), launchers.Length);
    }

    [Fact]
    public void The_float_arithmetic_of_the_bit_exact_kernels_is_explicitly_rounded()
    {
        // The check above is only as good as its pattern: the CUBA update must show its arithmetic with .rn.
        var ptx = Ptx(Entries().Single(e => e.Name == "Update<CubaModel>"));
        Assert.Contains("mul.rn.f32", ptx);
        Assert.Contains("add.rn.f32", ptx);
        Assert.Contains("sub.rn.f32", ptx);
    }

    [Fact]
    public void Deterministic_exponential_is_within_one_ulp_of_the_C_library()
    {
        var rng = new Random(17);
        var worst = 0L;
        for (var n = 0; n < 200_000; n++)
        {
            // STDP decays take exp(-ticks·dt/τ): mostly [-50, 0], but the whole finite range is checked.
            var x = n % 4 == 0 ? (rng.NextDouble() * 1450) - 740 : -rng.NextDouble() * 50;
            worst = Math.Max(worst, Ulps(Rn.Exp(x), Math.Exp(x)));
        }

        foreach (var x in new[] { 0.0, -0.0, 1e-300, -1e-20, 0.3465735902799726, -0.3465735902799727, 1, -1, 0.5, -708.39, -709, -740, -745, 709.78 })
        {
            worst = Math.Max(worst, Ulps(Rn.Exp(x), Math.Exp(x)));
        }

        Assert.True(worst <= 1, $"largest difference from Math.Exp: {worst} ulp");
        Assert.Equal(1.0, Rn.Exp(0));
        Assert.Equal(0.0, Rn.Exp(-746));
        Assert.Equal(0.0, Rn.Exp(double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, Rn.Exp(710));
        Assert.True(double.IsNaN(Rn.Exp(double.NaN)));
        Assert.True(Rn.Exp(-744) > 0, "a subnormal result is kept");
    }

    [Fact]
    public void Stdp_decay_is_the_same_deterministic_exponential_on_both_engines()
    {
        var rule = new PlasticRule(
            new PlasticitySpec { Kind = PlasticityKinds.Stdp, TauPlus = 16.8, TauMinus = 33.7 }, 0, 1, 1, 1, 0.1, new NeuronArrays(1, 4, 16));
        for (var ticks = 0; ticks < 20_000; ticks += 7)
        {
            var device = PlasticityKernels.Decay(ticks, 0.1, 16.8);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Rn.Exp(-ticks * 0.1 / 16.8)), BitConverter.DoubleToInt64Bits(device));
            Assert.Equal(BitConverter.DoubleToInt64Bits(device), BitConverter.DoubleToInt64Bits(rule.Decay(ticks, 16.8)));
        }
    }

    private static long Ulps(double a, double b)
    {
        if (a == b)
        {
            return 0;
        }

        return Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));
    }

    /// <summary>The PTX ILGPU's backend makes of <paramref name="entry"/> for an H100 (sm_90), with DeviceHost's context settings.</summary>
    private static string Ptx((string Name, MethodInfo Method, bool Grouped, bool Exact) entry)
    {
        using var context = Context.Create(b => DeviceHost.ConfigureCompiler(b));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        return ((PTXCompiledKernel)backend.Compile(Description(entry), default)).PTXAssembly;
    }

    private static EntryPointDescription Description((string Name, MethodInfo Method, bool Grouped, bool Exact) entry) => entry.Grouped
        ? EntryPointDescription.FromExplicitlyGroupedKernel(entry.Method)
        : EntryPointDescription.FromImplicitlyGroupedKernel(entry.Method);

    private static IEnumerable<(string Name, MethodInfo Method, bool Grouped, bool Exact)> Entries()
    {
        var update = typeof(NeuronKernels).GetMethod(nameof(NeuronKernels.Update))!;
        var propagate = typeof(SynapseKernels).GetMethod(nameof(SynapseKernels.Propagate))!;
        yield return ("Update<CubaModel>", update.MakeGenericMethod(typeof(CubaModel)), true, true);
        yield return ("Update<DeltaModel>", update.MakeGenericMethod(typeof(DeltaModel)), true, true);
        yield return ("Update<CobaModel>", update.MakeGenericMethod(typeof(CobaModel)), true, false);
        yield return ("Propagate<StaticDelivery>", propagate.MakeGenericMethod(typeof(StaticDelivery)), true, true);
        yield return ("Propagate<PlasticDelivery>", propagate.MakeGenericMethod(typeof(PlasticDelivery)), true, true);
        foreach (var (type, name) in new[]
        {
            (typeof(NeuronKernels), nameof(NeuronKernels.Force)), (typeof(NeuronKernels), nameof(NeuronKernels.Gather)),
            (typeof(SpikeKernels), nameof(SpikeKernels.Compact)), (typeof(SpikeKernels), nameof(SpikeKernels.ResetWindow)),
            (typeof(PlasticityKernels), nameof(PlasticityKernels.Modulate)), (typeof(PlasticityKernels), nameof(PlasticityKernels.BumpPre)),
            (typeof(PlasticityKernels), nameof(PlasticityKernels.Post)), (typeof(PlasticityKernels), nameof(PlasticityKernels.PostRemote)),
            (typeof(StimulusKernels), nameof(StimulusKernels.Poisson)), (typeof(StimulusKernels), nameof(StimulusKernels.Timed)),
            (typeof(StimulusKernels), nameof(StimulusKernels.Inject)),
        })
        {
            var method = type.GetMethod(name)!;
            // Implicitly grouped kernels take an Index1D first (ResetWindow, Inject); the others pick their own grid.
            yield return (name, method, method.GetParameters()[0].ParameterType != typeof(Index1D), true);
        }
    }

    /// <summary>A float add, sub or mul with no rounding modifier (<c>add.f32</c>, not <c>add.rn.f32</c>).</summary>
    [GeneratedRegex(@"\b(add|sub|mul)(\.ftz|\.sat)*\.f(16|32|64)\b[^\n]*")]
    private static partial Regex UnroundedFloatOp();

    [GeneratedRegex(@"\bfma\.")]
    private static partial Regex FusedOp();

    [GeneratedRegex(@"\b\w+\.approx\.[^\n]*")]
    private static partial Regex ApproximateOp();
}
