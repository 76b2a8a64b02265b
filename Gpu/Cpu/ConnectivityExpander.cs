using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// Expands the projection rules of a spec into edges, deterministically from the seed (single-threaded). Every draw is
/// keyed by global ids and by the edge's ordinal in its projection, so a shard that keeps only the edges onto its
/// targets [<c>targetLo</c>, <c>targetHi</c>) gets exactly the edges, weights and delays the whole network has there.
/// </summary>
internal static class ConnectivityExpander
{
    public static void Expand(NetworkSpec spec, ulong seed, int projectionIndex, ProjectionSpec p, short plastic, ushort filter, List<Edge> edges,
        int targetLo = 0, int targetHi = int.MaxValue)
    {
        var offsets = spec.PopulationOffsets();
        var src = spec.IndexOfPopulation(p.Source);
        var tgt = spec.IndexOfPopulation(p.Target);
        int s0 = offsets[src], nS = spec.Populations[src].Size, t0 = offsets[tgt], nT = spec.Populations[tgt].Size;
        var noSelf = !p.Rule.AllowSelf && src == tgt;
        var proj = (ulong)projectionIndex << 40;
        var template = new Edge { Channel = (byte)SynapseChannels.All.ToList().IndexOf(p.Channel), Plastic = plastic, Filter = filter };
        var dt = spec.Dt;
        uint ordinal = 0;

        // The ordinal counts every edge of the projection, kept or not, so weights and delays match the unsharded draw.
        void Add(int s, int t)
        {
            if (noSelf && s == t)
            {
                return;
            }

            var k = ordinal++;
            if (t0 + t < targetLo || t0 + t >= targetHi)
            {
                return;
            }

            var e = template;
            e.Source = s0 + s;
            e.Target = t0 + t;
            e.Weight = (float)Sample(p.Weight, seed, CounterRng.StreamWeight, proj | k);
            e.Delay = checked((ushort)Math.Max(0, Math.Round(Sample(p.Delay, seed, CounterRng.StreamDelay, proj | k) / dt)));
            edges.Add(e);
        }

        switch (p.Rule.Kind)
        {
            case ConnectionRuleKinds.FixedProbability:
                FixedProbability(seed, proj, nS, nT, p.Rule.P, Add);
                break;
            case ConnectionRuleKinds.FixedInDegree:
                // Each target draws exactly N edges (unless a self-loop cannot be avoided), so a shard starts at its first
                // target with the ordinal it would have reached and stops after its last: the cost is its share.
                var exact = !noSelf || nS > 1;
                var firstT = exact ? Math.Clamp(targetLo - t0, 0, nT) : 0;
                var endT = exact ? (int)Math.Clamp((long)targetHi - t0, 0, nT) : nT;
                ordinal = (uint)(firstT * p.Rule.N);
                for (var t = firstT; t < endT; t++)
                {
                    for (var k = 0; k < p.Rule.N; k++)
                    {
                        var s = Draw(seed, proj, (ulong)t, (ulong)k, nS);
                        for (var retry = 1; noSelf && s == t && nS > 1; retry++)
                        {
                            s = Draw(seed, proj, (ulong)t, ((ulong)retry << 32) | (uint)k, nS);
                        }

                        Add(s, t);
                    }
                }

                break;
            case ConnectionRuleKinds.FixedOutDegree:
                for (var s = 0; s < nS; s++)
                {
                    for (var k = 0; k < p.Rule.N; k++)
                    {
                        var t = Draw(seed, proj, (ulong)s, (ulong)k, nT);
                        for (var retry = 1; noSelf && s == t && nT > 1; retry++)
                        {
                            t = Draw(seed, proj, (ulong)s, ((ulong)retry << 32) | (uint)k, nT);
                        }

                        Add(s, t);
                    }
                }

                break;
            case ConnectionRuleKinds.OneToOne:
                for (var i = 0; i < nS; i++)
                {
                    Add(i, i);
                }

                break;
            case ConnectionRuleKinds.AllToAll:
                for (var s = 0; s < nS; s++)
                {
                    for (var t = 0; t < nT; t++)
                    {
                        Add(s, t);
                    }
                }

                break;
            case ConnectionRuleKinds.Explicit:
                foreach (var pair in p.Rule.Pairs ?? [])
                {
                    Add(pair[0], pair[1]);
                }

                break;
            default:
                throw new ArgumentException($"unknown connection rule '{p.Rule.Kind}'");
        }

    }

    public static double Sample(DistributionSpec d, ulong seed, ulong stream, ulong key) => d.Kind switch
    {
        DistributionKinds.Uniform => d.Low + ((d.High - d.Low) * CounterRng.Uniform(seed, stream, key, 0)),
        DistributionKinds.Normal => d.Mean + (d.Sd * CounterRng.Normal(seed, stream, key, 0)),
        _ => d.Value,
    };

    private static int Draw(ulong seed, ulong proj, ulong a, ulong k, int n)
        => (int)(CounterRng.Uniform(seed, CounterRng.StreamConnect, proj | a, k) * n);

    private static void FixedProbability(ulong seed, ulong proj, int nS, int nT, double p, Action<int, int> add)
    {
        if (p <= 0)
        {
            return;
        }

        // Geometric skipping: the gap to the next connected target is geometric, so the cost is O(edges), not O(nS·nT).
        var logQ = p >= 1 ? 0 : Math.Log(1 - p);
        for (var s = 0; s < nS; s++)
        {
            var t = -1;
            for (ulong k = 0; ; k++)
            {
                if (p >= 1)
                {
                    t++;
                }
                else
                {
                    var u = CounterRng.Uniform(seed, CounterRng.StreamConnect, proj | (uint)s, k);
                    var gap = Math.Floor(Math.Log(1 - u) / logQ);
                    t += 1 + (int)Math.Min(gap, nT);
                }

                if (t >= nT)
                {
                    break;
                }

                add(s, t);
            }
        }
    }
}
