using ILGPU.Algorithms;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// A LIF variant as a functor (ILGPU specialises the kernel per struct type). Each one evaluates the same
/// expressions in the same order as the scalar path of <see cref="Cpu.LifKernels"/>, each operation rounded on its own
/// (<see cref="Rn"/>: no fused multiply-add on CUDA either), so that float results match bit for bit.
/// </summary>
internal interface ILifModel
{
    /// <summary>The id in <see cref="LifParams.Model"/> that this functor updates.</summary>
    int ModelId { get; }

    /// <summary>Whether the model keeps ge/gi (delta synapses add straight to v and leave them untouched).</summary>
    bool HasConductances { get; }

    /// <summary>The new membrane potential of a non-refractory neuron, before the threshold check.</summary>
    float Membrane(in LifParams p, float v, float gE, float gI, int inE, int inI, float scale);
}

/// <summary>CUBA: exact integration of v with exponentially decaying currents.</summary>
internal readonly struct CubaModel : ILifModel
{
    public const int Id = 0;

    public int ModelId => Id;

    public bool HasConductances => true;

    public float Membrane(in LifParams p, float v, float gE, float gI, int inE, int inI, float scale)
        => Rn.Add(Rn.Add(Rn.Add(p.VInf, Rn.Mul(Rn.Sub(v, p.VInf), p.Pm)), Rn.Mul(gE, p.Ke)), Rn.Mul(gI, p.Ki)); // VInf + (v - VInf)·Pm + gE·Ke + gI·Ki
}

/// <summary>Delta synapses: the summed fixed-point input jumps v, which then relaxes exactly.</summary>
internal readonly struct DeltaModel : ILifModel
{
    public const int Id = 1;

    public int ModelId => Id;

    public bool HasConductances => false;

    public float Membrane(in LifParams p, float v, float gE, float gI, int inE, int inI, float scale)
    {
        var input = inE + inI; // integer sum first, as CpuEngine does
        return Rn.Add(p.VInf, Rn.Mul(Rn.Sub(Rn.Add(v, Rn.Mul(input, scale)), p.VInf), p.Pm)); // VInf + (v + input·scale - VInf)·Pm
    }
}

/// <summary>
/// COBA: exponential Euler for v with frozen conductances. The exponential is <see cref="XMath.Exp(float)"/>, not the
/// SIMD routine CpuEngine uses; the two differ by up to a few 1e-4 relative (measured: 2e-3 mV on one step), so COBA is
/// close to CpuEngine, not bit-identical.
/// </summary>
internal readonly struct CobaModel : ILifModel
{
    public const int Id = 2;

    public int ModelId => Id;

    public bool HasConductances => true;

    public float Membrane(in LifParams p, float v, float gE, float gI, int inE, int inI, float scale)
    {
        var gTot = Rn.Add(Rn.Add(1f, gE), gI);
        var vInf = Rn.Add(Rn.Add(p.VRestBias, Rn.Mul(gE, p.EE)), Rn.Mul(gI, p.EI)) / gTot;
        return Rn.Add(vInf, Rn.Mul(Rn.Sub(v, vInf), XMath.Exp(Rn.Mul(-p.DtOverTauM, gTot))));
    }
}
