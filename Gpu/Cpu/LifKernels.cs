using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// The LIF updates over a neuron range, vectorised with <see cref="Vector{T}"/>. The scalar tail evaluates the same
/// expressions in the same order (no fused multiply-add), so a neuron's trajectory does not depend on which lane or
/// thread computed it. Vector loads and stores skip bounds checks: the loop condition keeps i + width within [lo, hi)
/// and the ring offset within the accumulator. Order within a tick (as in Brian2): input that arrived at the end of the previous tick is
/// added, the state is integrated (v is held while refractory), the threshold is checked, and firing neurons reset.
/// </summary>
internal static class LifKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Cuba(PopulationKernel k, NeuronArrays s, int lo, int hi, int tick, int slot, int[] fired, int count)
    {
        float[] v = s.V, ge = s.Ge, gi = s.Gi;
        int[] ru = s.RefUntil, aE = s.Acc[0], aI = s.Acc[1];
        var w = Vector<float>.Count;
        var i = lo;
        if (hi - lo >= w)
        {
            Vector<float> sc = new(s.Scale), vInf = new(k.VInf), pm = new(k.Pm), pe = new(k.Pe), pi = new(k.Pi),
                ke = new(k.Ke), ki = new(k.Ki), vt = new(k.Vt), vr = new(k.Vr);
            Vector<int> tickV = new(tick), refEnd = new(tick + k.RefTicks);
            for (; i <= hi - w; i += w)
            {
                var inE = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i));
                var inI = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                var gE = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ge), (nuint)i) + (Vector.ConvertToSingle(inE) * sc);
                var gI = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(gi), (nuint)i) + (Vector.ConvertToSingle(inI) * sc);
                var r = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                var active = Vector.GreaterThanOrEqual(tickV, r);
                var vo = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
                var vn = Vector.ConditionalSelect(active, vInf + ((vo - vInf) * pm) + (gE * ke) + (gI * ki), vo);
                var fire = Vector.GreaterThan(vn, vt) & active;
                if (fire != Vector<int>.Zero)
                {
                    vn = Vector.ConditionalSelect(fire, vr, vn);
                    Vector.ConditionalSelect(fire, refEnd, r).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                    for (var l = 0; l < w; l++)
                    {
                        if (fire[l] != 0)
                        {
                            fired[count++] = i + l;
                        }
                    }
                }

                vn.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
                (gE * pe).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(ge), (nuint)i);
                (gI * pi).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(gi), (nuint)i);
            }
        }

        for (; i < hi; i++)
        {
            var gE = ge[i] + (aE[slot + i] * s.Scale);
            var gI = gi[i] + (aI[slot + i] * s.Scale);
            aE[slot + i] = 0;
            aI[slot + i] = 0;
            if (tick >= ru[i])
            {
                var vn = k.VInf + ((v[i] - k.VInf) * k.Pm) + (gE * k.Ke) + (gI * k.Ki);
                if (vn > k.Vt)
                {
                    vn = k.Vr;
                    ru[i] = tick + k.RefTicks;
                    fired[count++] = i;
                }

                v[i] = vn;
            }

            ge[i] = gE * k.Pe;
            gi[i] = gI * k.Pi;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Delta(PopulationKernel k, NeuronArrays s, int lo, int hi, int tick, int slot, int[] fired, int count)
    {
        float[] v = s.V;
        int[] ru = s.RefUntil, aE = s.Acc[0], aI = s.Acc[1];
        var w = Vector<float>.Count;
        var i = lo;
        if (hi - lo >= w)
        {
            Vector<float> sc = new(s.Scale), vInf = new(k.VInf), pm = new(k.Pm), vt = new(k.Vt), vr = new(k.Vr);
            Vector<int> tickV = new(tick), refEnd = new(tick + k.RefTicks);
            for (; i <= hi - w; i += w)
            {
                var input = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i)) + Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                var r = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                var active = Vector.GreaterThanOrEqual(tickV, r);
                var vo = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
                var vn = Vector.ConditionalSelect(active, vInf + ((vo + (Vector.ConvertToSingle(input) * sc) - vInf) * pm), vo);
                var fire = Vector.GreaterThan(vn, vt) & active;
                if (fire != Vector<int>.Zero)
                {
                    vn = Vector.ConditionalSelect(fire, vr, vn);
                    Vector.ConditionalSelect(fire, refEnd, r).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                    for (var l = 0; l < w; l++)
                    {
                        if (fire[l] != 0)
                        {
                            fired[count++] = i + l;
                        }
                    }
                }

                vn.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
            }
        }

        for (; i < hi; i++)
        {
            var input = aE[slot + i] + aI[slot + i];
            aE[slot + i] = 0;
            aI[slot + i] = 0;
            if (tick >= ru[i])
            {
                var vn = k.VInf + ((v[i] + (input * s.Scale) - k.VInf) * k.Pm);
                if (vn > k.Vt)
                {
                    vn = k.Vr;
                    ru[i] = tick + k.RefTicks;
                    fired[count++] = i;
                }

                v[i] = vn;
            }
        }

        return count;
    }

    /// <summary>
    /// COBA: conductances decay exactly; the membrane uses exponential Euler (exact for conductances frozen over the
    /// step). The scalar tail takes its exponential from the same vector routine, so every lane computes alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Coba(PopulationKernel k, NeuronArrays s, int lo, int hi, int tick, int slot, int[] fired, int count)
    {
        float[] v = s.V, ge = s.Ge, gi = s.Gi;
        int[] ru = s.RefUntil, aE = s.Acc[0], aI = s.Acc[1];
        var w = Vector<float>.Count;
        var i = lo;
        if (hi - lo >= w)
        {
            Vector<float> sc = new(s.Scale), rest = new(k.VRestBias), eE = new(k.EE), eI = new(k.EI), pe = new(k.Pe), pi = new(k.Pi),
                negDt = new(-k.DtOverTauM), vt = new(k.Vt), vr = new(k.Vr), one = Vector<float>.One;
            Vector<int> tickV = new(tick), refEnd = new(tick + k.RefTicks);
            for (; i <= hi - w; i += w)
            {
                var inE = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i));
                var inI = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aE), (nuint)(slot + i));
                Vector<int>.Zero.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(aI), (nuint)(slot + i));
                var gE = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ge), (nuint)i) + (Vector.ConvertToSingle(inE) * sc);
                var gI = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(gi), (nuint)i) + (Vector.ConvertToSingle(inI) * sc);
                var r = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                var active = Vector.GreaterThanOrEqual(tickV, r);
                var vo = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
                var gTot = one + gE + gI;
                var vInf = (rest + (gE * eE) + (gI * eI)) / gTot;
                var vn = Vector.ConditionalSelect(active, vInf + ((vo - vInf) * Vector.Exp(negDt * gTot)), vo);
                var fire = Vector.GreaterThan(vn, vt) & active;
                if (fire != Vector<int>.Zero)
                {
                    vn = Vector.ConditionalSelect(fire, vr, vn);
                    Vector.ConditionalSelect(fire, refEnd, r).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(ru), (nuint)i);
                    for (var l = 0; l < w; l++)
                    {
                        if (fire[l] != 0)
                        {
                            fired[count++] = i + l;
                        }
                    }
                }

                vn.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(v), (nuint)i);
                (gE * pe).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(ge), (nuint)i);
                (gI * pi).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(gi), (nuint)i);
            }
        }

        for (; i < hi; i++)
        {
            var gE = ge[i] + (aE[slot + i] * s.Scale);
            var gI = gi[i] + (aI[slot + i] * s.Scale);
            aE[slot + i] = 0;
            aI[slot + i] = 0;
            if (tick >= ru[i])
            {
                var gTot = 1f + gE + gI;
                var vInf = (k.VRestBias + (gE * k.EE) + (gI * k.EI)) / gTot;
                var vn = vInf + ((v[i] - vInf) * Vector.Exp(new Vector<float>(-k.DtOverTauM * gTot))[0]);
                if (vn > k.Vt)
                {
                    vn = k.Vr;
                    ru[i] = tick + k.RefTicks;
                    fired[count++] = i;
                }

                v[i] = vn;
            }

            ge[i] = gE * k.Pe;
            gi[i] = gI * k.Pi;
        }

        return count;
    }
}
