using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// The constants and traces of one plastic projection. Traces are stored lazily as (value after the last spike,
/// tick of that spike) and decayed on read. Each worker keeps its own copy of the presynaptic traces (it sees every
/// spike), and owns the postsynaptic traces of its neurons, so no trace is shared between threads.
/// </summary>
internal sealed class PlasticRule
{
    private readonly double _dt;

    public PlasticRule(PlasticitySpec p, int srcStart, int srcEnd, int workers, int neurons, double dt, NeuronArrays s)
    {
        Reward = p.Kind == PlasticityKinds.RStdp;
        APlus = p.APlus;
        AMinus = p.AMinus;
        TauPlus = p.TauPlus;
        TauMinus = p.TauMinus;
        TauElig = p.TauEligibility;
        LearningRate = p.LearningRate;
        WMin = s.Fixed(p.WMin);
        WMax = s.Fixed(p.WMax);
        SrcStart = srcStart;
        SrcEnd = srcEnd;
        _dt = dt;
        PreX = new float[workers][];
        PreT = new int[workers][];
        for (var w = 0; w < workers; w++)
        {
            PreX[w] = new float[neurons];
            PreT[w] = new int[neurons];
        }

        PostY = new float[neurons];
        PostT = new int[neurons];
    }

    public bool Reward { get; }

    public double APlus { get; }

    public double AMinus { get; }

    public double TauPlus { get; }

    public double TauMinus { get; }

    public double TauElig { get; }

    public double LearningRate { get; }

    public int WMin { get; }

    public int WMax { get; }

    public int SrcStart { get; }

    public int SrcEnd { get; }

    public float[][] PreX { get; }

    public int[][] PreT { get; }

    public float[] PostY { get; }

    public int[] PostT { get; }

    /// <summary>
    /// exp(-ticks·dt/τ) as the device computes it (<see cref="Kernels.PlasticityKernels.Decay"/>, through
    /// <see cref="Kernels.Rn.Exp"/> rather than <see cref="Math.Exp(double)"/>): the C library's exponential and the one a
    /// GPU would use need not agree to the last bit, and the STDP weights of CpuEngine and IlgpuEngine must.
    /// </summary>
    public double Decay(int ticks, double tau) => Kernels.PlasticityKernels.Decay(ticks, _dt, tau);

    public double Pre(int worker, int j, int tick) => PreX[worker][j] * Decay(tick - PreT[worker][j], TauPlus);

    public double Post(int i, int tick) => PostFrom(PostY[i], PostT[i], tick);

    /// <summary>A post trace that stood at <paramref name="y"/> after a spike at <paramref name="t0"/>, read at <paramref name="tick"/>.</summary>
    public double PostFrom(float y, int t0, int tick) => y * Decay(tick - t0, TauMinus);

    public void BumpPre(int worker, int j, int tick)
    {
        PreX[worker][j] = (float)(Pre(worker, j, tick) + 1);
        PreT[worker][j] = tick;
    }

    public void BumpPost(int i, int tick)
    {
        PostY[i] = (float)(Post(i, tick) + 1);
        PostT[i] = tick;
    }
}
