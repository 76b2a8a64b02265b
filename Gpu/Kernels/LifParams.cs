using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Engine.Kernels;

/// <summary>The per-population LIF constants for one time step, as an unmanaged struct a kernel can take (copied from <see cref="PopulationKernel"/>).</summary>
internal readonly struct LifParams
{
    public LifParams(PopulationKernel k)
    {
        VInf = k.VInf;
        VRestBias = k.VRestBias;
        Pm = k.Pm;
        Pe = k.Pe;
        Pi = k.Pi;
        Ke = k.Ke;
        Ki = k.Ki;
        Vt = k.Vt;
        Vr = k.Vr;
        EE = k.EE;
        EI = k.EI;
        DtOverTauM = k.DtOverTauM;
        RefTicks = k.RefTicks;
        Model = ModelId(k.Model);
    }

    public readonly float VInf;
    public readonly float VRestBias;
    public readonly float Pm;
    public readonly float Pe;
    public readonly float Pi;
    public readonly float Ke;
    public readonly float Ki;
    public readonly float Vt;
    public readonly float Vr;
    public readonly float EE;
    public readonly float EI;
    public readonly float DtOverTauM;
    public readonly int RefTicks;
    public readonly int Model;

    /// <summary>The model id a <see cref="ILifModel"/> functor matches; CpuEngine treats any other name as COBA, and so does this.</summary>
    public static int ModelId(string model) => model switch
    {
        NeuronModels.LifCuba => CubaModel.Id,
        NeuronModels.LifDelta => DeltaModel.Id,
        _ => CobaModel.Id,
    };
}
