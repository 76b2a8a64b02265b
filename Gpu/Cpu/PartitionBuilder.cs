namespace NeuroMesh.Engine.Cpu;

/// <summary>Sorts edges into per-worker CSR partitions (counting sort by source, then by bucket and target within a row).</summary>
internal static class PartitionBuilder
{
    public static SparsePartition[] Build(Edge[] edges, int edgeCount, int[] bounds, int neurons, bool[] rewardRule)
    {
        var workers = bounds.Length - 1;
        var owner = new byte[neurons];
        for (var w = 0; w < workers; w++)
        {
            owner.AsSpan(bounds[w], bounds[w + 1] - bounds[w]).Fill((byte)w);
        }

        var rowCounts = new int[workers][];
        for (var w = 0; w < workers; w++)
        {
            rowCounts[w] = new int[neurons + 1];
        }

        for (var e = 0; e < edgeCount; e++)
        {
            rowCounts[owner[edges[e].Target]][edges[e].Source + 1]++;
        }

        var parts = new SparsePartition[workers];
        for (var w = 0; w < workers; w++)
        {
            parts[w] = BuildOne(edges, edgeCount, owner, (byte)w, rowCounts[w], bounds[w], bounds[w + 1], neurons, rewardRule);
        }

        return parts;
    }

    private static ulong Key(in Edge e)
        => ((ulong)e.Delay << 48) | ((ulong)e.Channel << 46) | ((ulong)(e.Filter != 0 ? 1 : 0) << 45) | ((ulong)(ushort)(e.Plastic + 1) << 30) | (uint)e.Target;

    private static SparsePartition BuildOne(Edge[] edges, int edgeCount, byte[] owner, byte w, int[] rowStart, int lo, int hi, int neurons, bool[] rewardRule)
    {
        for (var j = 0; j < neurons; j++)
        {
            rowStart[j + 1] += rowStart[j];
        }

        var count = rowStart[neurons];
        var order = new int[count];
        var cursor = (int[])rowStart.Clone();
        var anyFilter = false;
        var anyPlastic = false;
        for (var e = 0; e < edgeCount; e++)
        {
            if (owner[edges[e].Target] == w)
            {
                order[cursor[edges[e].Source]++] = e;
                anyFilter |= edges[e].Filter != 0;
                anyPlastic |= edges[e].Plastic >= 0;
            }
        }

        var targets = new int[count];
        var weights = new int[count];
        var filters = anyFilter ? new ushort[count] : null;
        var segStart = new int[neurons + 1];
        var segs = new List<Segment>();
        var keys = new ulong[64];
        for (var j = 0; j < neurons; j++)
        {
            segStart[j] = segs.Count;
            int a = rowStart[j], b = rowStart[j + 1];
            if (a == b)
            {
                continue;
            }

            if (keys.Length < b - a)
            {
                keys = new ulong[b - a];
            }

            var sorted = true;
            for (var k = a; k < b; k++)
            {
                keys[k - a] = Key(edges[order[k]]);
                sorted &= k == a || keys[k - a] >= keys[k - a - 1];
            }

            if (!sorted)
            {
                keys.AsSpan(0, b - a).Sort(order.AsSpan(a, b - a));
            }

            var bucket = ulong.MaxValue;
            for (var k = a; k < b; k++)
            {
                ref readonly var e = ref edges[order[k]];
                targets[k] = e.Target;
                weights[k] = e.Fixed;
                if (filters is not null)
                {
                    filters[k] = e.Filter;
                }

                var key = Key(e) >> 30;
                if (key != bucket)
                {
                    if (segs.Count > segStart[j])
                    {
                        CloseSegment(segs, k);
                    }

                    segs.Add(new Segment { Start = k, End = k, Delay = e.Delay, Channel = e.Channel, Filtered = e.Filter != 0, Plastic = e.Plastic });
                    bucket = key;
                }
            }

            CloseSegment(segs, b);
        }

        segStart[neurons] = segs.Count;
        var part = new SparsePartition
        {
            Lo = lo, Hi = hi, SegStart = segStart, Segs = [.. segs], Targets = targets, Weights = weights, Filters = filters,
        };
        return anyPlastic ? WithIncoming(part, rewardRule) : part;
    }

    private static void CloseSegment(List<Segment> segs, int end)
    {
        var last = segs[^1];
        last.End = end;
        segs[^1] = last;
    }

    private static SparsePartition WithIncoming(SparsePartition p, bool[] rewardRule)
    {
        var local = p.Hi - p.Lo;
        var inStart = new int[local + 1];
        var anyReward = false;
        for (var j = 0; j + 1 < p.SegStart.Length; j++)
        {
            for (var s = p.SegStart[j]; s < p.SegStart[j + 1]; s++)
            {
                if (p.Segs[s].Plastic >= 0)
                {
                    anyReward |= rewardRule[p.Segs[s].Plastic];
                    for (var k = p.Segs[s].Start; k < p.Segs[s].End; k++)
                    {
                        inStart[p.Targets[k] - p.Lo + 1]++;
                    }
                }
            }
        }

        for (var i = 0; i < local; i++)
        {
            inStart[i + 1] += inStart[i];
        }

        var entries = new InEntry[inStart[local]];
        var fill = (int[])inStart.Clone();
        for (var j = 0; j + 1 < p.SegStart.Length; j++)
        {
            for (var s = p.SegStart[j]; s < p.SegStart[j + 1]; s++)
            {
                if (p.Segs[s].Plastic >= 0)
                {
                    for (var k = p.Segs[s].Start; k < p.Segs[s].End; k++)
                    {
                        entries[fill[p.Targets[k] - p.Lo]++] = new InEntry { Syn = k, Source = j, Plastic = p.Segs[s].Plastic };
                    }
                }
            }
        }

        return new SparsePartition
        {
            Lo = p.Lo, Hi = p.Hi, SegStart = p.SegStart, Segs = p.Segs, Targets = p.Targets, Weights = p.Weights, Filters = p.Filters,
            InStart = inStart, In = entries,
            Elig = anyReward ? new float[p.Targets.Length] : null,
            EligTick = anyReward ? new int[p.Targets.Length] : null,
        };
    }
}
