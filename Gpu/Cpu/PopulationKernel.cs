using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>The per-population constants of the exact (or exponential-Euler) LIF update for one time step.</summary>
internal sealed class PopulationKernel
{
    public PopulationKernel(PopulationSpec p, int start, double dt)
    {
        var q = p.Params;
        Start = start;
        End = start + p.Size;
        Model = p.Model;
        VInf = (float)(q.VRest + q.Bias);
        VRestBias = VInf;
        Pm = (float)Math.Exp(-dt / q.TauM);
        Pe = (float)Math.Exp(-dt / q.TauE);
        Pi = (float)Math.Exp(-dt / q.TauI);
        Ke = (float)CurrentKernel(dt, q.TauM, q.TauE);
        Ki = (float)CurrentKernel(dt, q.TauM, q.TauI);
        Vt = (float)q.VThreshold;
        Vr = (float)q.VReset;
        EE = (float)q.EE;
        EI = (float)q.EI;
        DtOverTauM = (float)(dt / q.TauM);
        RefTicks = (int)Math.Round(q.Refractory / dt);
    }

    public int Start { get; }

    public int End { get; }

    public string Model { get; }

    public float VInf { get; }

    public float VRestBias { get; }

    public float Pm { get; }

    public float Pe { get; }

    public float Pi { get; }

    public float Ke { get; }

    public float Ki { get; }

    public float Vt { get; }

    public float Vr { get; }

    public float EE { get; }

    public float EI { get; }

    public float DtOverTauM { get; }

    public int RefTicks { get; }

    /// <summary>Updates neurons [lo, hi) for one tick; appends the ones that fire to <paramref name="fired"/>.</summary>
    public int Update(NeuronArrays s, int lo, int hi, int tick, int slotOffset, int[] fired, int count) => Model switch
    {
        NeuronModels.LifCuba => LifKernels.Cuba(this, s, lo, hi, tick, slotOffset, fired, count),
        NeuronModels.LifDelta => LifKernels.Delta(this, s, lo, hi, tick, slotOffset, fired, count),
        _ => LifKernels.Coba(this, s, lo, hi, tick, slotOffset, fired, count),
    };

    /// <summary>
    /// The exact response of u = v − vInf to a current g that decays with tauS, over one step:
    /// u(dt) = u0·e^(−dt/τm) + g0·τs/(τs − τm)·(e^(−dt/τs) − e^(−dt/τm)); the τs = τm limit is g0·(dt/τm)·e^(−dt/τm).
    /// </summary>
    private static double CurrentKernel(double dt, double tauM, double tauS)
        => Math.Abs(tauS - tauM) < 1e-12
            ? dt / tauM * Math.Exp(-dt / tauM)
            : tauS / (tauS - tauM) * (Math.Exp(-dt / tauS) - Math.Exp(-dt / tauM));
}
