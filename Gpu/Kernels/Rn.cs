using System.Reflection;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.IR.Intrinsics;
using ILGPU.Runtime.Cuda;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// Floating-point add, subtract and multiply rounded to nearest on their own, wherever the code runs. The bit-identity
/// of the engines rests on this: PTX <c>add.f32</c>/<c>mul.f32</c> without a rounding modifier (what ILGPU emits for
/// <c>a + b</c> and <c>a * b</c>) may be contracted into a fused multiply-add by the CUDA JIT, which rounds once where
/// CpuEngine rounds twice. With the explicit <c>.rn</c> modifier PTX forbids that contraction. On the CPU (CpuEngine, and
/// ILGPU's CPU accelerator) these are the plain C# operators, which .NET never contracts; in PTX they are the
/// <c>.rn</c> instructions (<see cref="Register"/>). Division needs no helper:
/// ILGPU emits <c>div.rn</c>. OpenCL is not covered: its compilers may contract (FP_CONTRACT) and ILGPU offers no way to
/// stop them.
/// </summary>
internal static class Rn
{
    // Intrinsics to ILGPU (never inlined: the PTX backend replaces the call, see Register); plain methods to .NET.
    [IntrinsicImplementation]
    public static float Add(float a, float b) => a + b;

    [IntrinsicImplementation]
    public static float Sub(float a, float b) => a - b;

    [IntrinsicImplementation]
    public static float Mul(float a, float b) => a * b;

    [IntrinsicImplementation]
    public static double Add(double a, double b) => a + b;

    [IntrinsicImplementation]
    public static double Sub(double a, double b) => a - b;

    [IntrinsicImplementation]
    public static double Mul(double a, double b) => a * b;

    /// <summary>
    /// Maps <see cref="Add(float, float)"/> and the others onto <see cref="PtxRn"/> in PTX kernels and onto the plain
    /// operators (<see cref="PlainRn"/>) in OpenCL ones (redirects: no branch is left in the code). An intrinsic without
    /// a mapping for a backend does not compile there, so every context registers both; ILGPU's CPU accelerator runs the
    /// methods' own bodies.
    /// </summary>
    public static void Register(IntrinsicImplementationManager manager)
    {
        foreach (var type in new[] { typeof(float), typeof(double) })
        {
            foreach (var name in new[] { nameof(Add), nameof(Sub), nameof(Mul) })
            {
                Type[] args = [type, type];
                var source = typeof(Rn).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args)!;
                manager.RegisterMethod(source, new PTXIntrinsic(typeof(PtxRn).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args)!, IntrinsicImplementationMode.Redirect));
                manager.RegisterMethod(source, new CLIntrinsic(typeof(PlainRn).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args)!, IntrinsicImplementationMode.Redirect));
            }
        }
    }

    /// <summary>
    /// e^x in double precision with the same bits on every device: fdlibm's algorithm (argument reduction by ln 2 split in a
    /// high part with trailing zeros and a low part, a degree-5 rational correction, then scaling by 2^k through the
    /// exponent bits), every step through the helpers above. Error below 1 ulp. CpuEngine's STDP decays use it too, since
    /// <see cref="Math.Exp(double)"/> (the C library's) and ILGPU's software exponential on CUDA need not agree to the bit.
    /// </summary>
    public static double Exp(double x)
    {
        const double Ln2Hi = 6.93147180369123816490e-01;
        const double Ln2Lo = 1.90821492927058770002e-10;
        const double InvLn2 = 1.44269504088896338700e+00;
        const double P1 = 1.66666666666666019037e-01;
        const double P2 = -2.77777777770155933842e-03;
        const double P3 = 6.61375632143793436117e-05;
        const double P4 = -1.65339022054652515390e-06;
        const double P5 = 4.13813679705723846039e-08;
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > 7.09782712893383973096e+02)
        {
            return double.PositiveInfinity;
        }

        if (x < -7.45133219101941108420e+02)
        {
            return 0;
        }

        var ax = x < 0 ? -x : x;
        if (ax < 3.7252902984e-09)
        {
            return Add(1, x); // |x| < 2^-28: 1 + x is e^x rounded
        }

        var k = 0;
        double hi = x, lo = 0;
        if (ax > 0.5 * 6.93147180559945286227e-01)
        {
            // k = round(x / ln 2); k·Ln2Hi is exact (Ln2Hi has 32 trailing zero bits), so hi - lo is x - k·ln 2 to ~2^-60.
            k = (int)Add(Mul(InvLn2, x), x < 0 ? -0.5 : 0.5);
            double t = k;
            hi = Sub(x, Mul(t, Ln2Hi));
            lo = Mul(t, Ln2Lo);
        }

        var r = Sub(hi, lo);
        var tt = Mul(r, r);
        var poly = Add(P4, Mul(tt, P5));
        poly = Add(P3, Mul(tt, poly));
        poly = Add(P2, Mul(tt, poly));
        poly = Add(P1, Mul(tt, poly));
        var c = Sub(r, Mul(tt, poly));
        var rc = Mul(r, c);
        if (k == 0)
        {
            return Sub(1, Sub(rc / Sub(c, 2), r));
        }

        var y = Sub(1, Sub(Sub(lo, rc / Sub(2, c)), hi));
        if (k >= -1021)
        {
            return Interop.IntAsFloat(Interop.FloatAsInt(y) + ((ulong)(long)k << 52));
        }

        // Subnormal results: scale by 2^(k + 1000) in the exponent, then by 2^-1000 (one rounding, as fdlibm).
        return Mul(Interop.IntAsFloat(Interop.FloatAsInt(y) + ((ulong)(long)(k + 1000) << 52)), 9.33263618503218878990e-302);
    }
}

/// <summary>The PTX forms of <see cref="Rn"/>'s operations (inline assembly; only ever compiled for CUDA).</summary>
internal static class PtxRn
{
    public static float Add(float a, float b)
    {
        CudaAsm.Emit("add.rn.f32 %0, %1, %2;", out float r, a, b);
        return r;
    }

    public static float Sub(float a, float b)
    {
        CudaAsm.Emit("sub.rn.f32 %0, %1, %2;", out float r, a, b);
        return r;
    }

    public static float Mul(float a, float b)
    {
        CudaAsm.Emit("mul.rn.f32 %0, %1, %2;", out float r, a, b);
        return r;
    }

    public static double Add(double a, double b)
    {
        CudaAsm.Emit("add.rn.f64 %0, %1, %2;", out double r, a, b);
        return r;
    }

    public static double Sub(double a, double b)
    {
        CudaAsm.Emit("sub.rn.f64 %0, %1, %2;", out double r, a, b);
        return r;
    }

    public static double Mul(double a, double b)
    {
        CudaAsm.Emit("mul.rn.f64 %0, %1, %2;", out double r, a, b);
        return r;
    }
}

/// <summary><see cref="Rn"/>'s operations as plain operators, for backends with no rounding control (OpenCL).</summary>
internal static class PlainRn
{
    public static float Add(float a, float b) => a + b;

    public static float Sub(float a, float b) => a - b;

    public static float Mul(float a, float b) => a * b;

    public static double Add(double a, double b) => a + b;

    public static double Sub(double a, double b) => a - b;

    public static double Mul(double a, double b) => a * b;
}
