using System.Numerics;

namespace NeuroMesh.Engine.Cpu;

/// <summary>A dense projection: a source × target matrix of fixed-point weights with one delay; delivery adds a row slice with SIMD.</summary>
internal sealed class DenseBlock
{
    public required int SrcStart { get; init; }

    public required int SrcCount { get; init; }

    public required int TgtStart { get; init; }

    public required int TgtCount { get; init; }

    public required int Delay { get; init; }

    public required byte Channel { get; init; }

    /// <summary>Row-major weights; 0 means no synapse.</summary>
    public required int[] W { get; init; }

    public void Deliver(int source, int lo, int hi, int[] acc, int offset)
    {
        if ((uint)(source - SrcStart) >= (uint)SrcCount)
        {
            return;
        }

        var a = Math.Max(lo, TgtStart);
        var b = Math.Min(hi, TgtStart + TgtCount);
        if (a >= b)
        {
            return;
        }

        var row = W.AsSpan(((source - SrcStart) * TgtCount) + (a - TgtStart), b - a);
        var dst = acc.AsSpan(offset + a, b - a);
        var i = 0;
        for (; i <= row.Length - Vector<int>.Count; i += Vector<int>.Count)
        {
            (new Vector<int>(dst[i..]) + new Vector<int>(row[i..])).CopyTo(dst[i..]);
        }

        for (; i < row.Length; i++)
        {
            dst[i] += row[i];
        }
    }
}
