namespace NeuroMesh.Simulation;

/// <summary>
/// A shard's per-window exchange times (waiting for peers plus sending), in microseconds, in logarithmic buckets of
/// eight per doubling (each about 9% wide) from 1 µs to about 4.7 hours; a percentile is its bucket's upper bound.
/// </summary>
/// <remarks>Recorded and read only in the shard grain's turns: not thread-safe.</remarks>
internal sealed class ExchangeHistogram
{
    private const int PerDoubling = 8;
    private readonly long[] _counts = new long[PerDoubling * 34];
    private long _total;

    /// <summary>Records one window that spent <paramref name="micros"/> µs on the exchange.</summary>
    public void Record(double micros)
    {
        var bucket = micros <= 1 ? 0 : Math.Min(_counts.Length - 1, (int)(Math.Log2(micros) * PerDoubling));
        _counts[bucket]++;
        _total++;
    }

    /// <summary>The <paramref name="q"/> quantile (0 &lt; q ≤ 1) in µs, as its bucket's upper bound; 0 before any window.</summary>
    public double Percentile(double q)
    {
        if (_total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * _total);
        long seen = 0;
        for (var b = 0; b < _counts.Length; b++)
        {
            seen += _counts[b];
            if (seen >= rank)
            {
                return Math.Pow(2, (b + 1) / (double)PerDoubling);
            }
        }

        return Math.Pow(2, _counts.Length / (double)PerDoubling);
    }
}
