using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine.Sharding;

/// <summary>
/// How a network is split into shards for a lockstep multi-silo run: shard k owns the neurons [<see cref="Lo"/>(k),
/// <see cref="Hi"/>(k)) of the global id space and every synapse onto them. Shards exchange the spikes of each window
/// of <see cref="WindowTicks"/> ticks (NEST's min-delay scheme), which makes the union of their spike trains
/// bit-identical to one engine's.
/// </summary>
/// <remarks>
/// The plan is deterministic: every silo that builds it from the same spec, seed and shard count gets the same plan.
/// Building it expands the whole connectivity once (to find the window and the network-wide fixed-point shift).
/// </remarks>
public sealed class ShardPlan
{
    /// <summary>The window used when no synapse crosses shards (any window would be exact; this keeps barriers rare).</summary>
    public const int UnboundedWindowTicks = 1024;

    /// <summary>The most shards whose targets <see cref="_remoteTargets"/> can name (one bit each).</summary>
    private const int RoutedShards = 64;

    private readonly int[] _bounds;

    /// <summary>Per neuron, bit k is set when it has a synapse onto a neuron of shard k other than its own; null above <see cref="RoutedShards"/> shards.</summary>
    private readonly ulong[]? _remoteTargets;

    private ShardPlan(NetworkSpec spec, ulong seed, int[] bounds, int windowTicks, string? windowProjection, int fixedShift, ulong[]? remoteTargets, long synapses, long crossingSynapses)
    {
        Spec = spec;
        Seed = seed;
        _bounds = bounds;
        _remoteTargets = remoteTargets;
        WindowTicks = windowTicks;
        WindowProjection = windowProjection;
        FixedPointShift = fixedShift;
        Synapses = synapses;
        CrossingSynapses = crossingSynapses;
    }

    /// <summary>The network's synapses.</summary>
    public long Synapses { get; }

    /// <summary>The synapses whose source and target lie in different shards (the cut of the partition).</summary>
    public long CrossingSynapses { get; }

    /// <summary>The spec the plan splits.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The seed of every draw (the spec's, or <see cref="EngineOptions.Seed"/> when given).</summary>
    public ulong Seed { get; }

    /// <summary>The number of shards.</summary>
    public int ShardCount => _bounds.Length - 1;

    /// <summary>
    /// D, the window in ticks: the smallest latency, in ticks, of any synapse whose source and target lie in different
    /// shards. A synapse of delay d ticks acts in the update d + 1 ticks after its source fired (a delay of 0 acts in the
    /// next tick), so D = min(d) + 1 ≥ 1; <see cref="UnboundedWindowTicks"/> when no synapse crosses shards.
    /// </summary>
    public int WindowTicks { get; }

    /// <summary>The name of the projection whose cross-shard synapse sets <see cref="WindowTicks"/>, or null when none crosses.</summary>
    public string? WindowProjection { get; }

    /// <summary>The fixed-point shift of the whole network, which every shard uses so that its integer inputs match one engine's.</summary>
    public int FixedPointShift { get; }

    /// <summary>
    /// Splits <paramref name="spec"/> into <paramref name="shardCount"/> contiguous ranges of neuron ids, balanced by neuron
    /// count (shard k starts at ⌊N·k/n⌋, or at a nearby population edge that cuts fewer synapses, moved so that no R-STDP
    /// projection crosses shards), and finds the window, the cut and, per neuron, the shards that need its spikes.
    /// </summary>
    /// <param name="spec">The network (validated here).</param>
    /// <param name="shardCount">How many shards, from 1 to the number of neurons.</param>
    /// <param name="options">Only <see cref="EngineOptions.Seed"/> and <see cref="EngineOptions.Filters"/> are read; the engines must use the same.</param>
    /// <exception cref="NetworkSpecException">The spec is invalid, or an R-STDP projection has synapses across shards (named in the message).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The shard count is below 1 or above the number of neurons.</exception>
    public static ShardPlan Create(NetworkSpec spec, int shardCount, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        NetworkSpecValidator.ThrowIfInvalid(spec);
        var n = spec.NeuronCount;
        if (shardCount < 1 || shardCount > Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), $"the shard count must be in [1, {Math.Max(1, n)}] (the number of neurons); got {shardCount}");
        }

        options ??= new EngineOptions();
        var seed = options.Seed ?? spec.Seed;
        var plan = new NetworkPlan(spec, seed, options.Filters);
        var bounds = Bounds(spec, shardCount, plan.AllEdges);

        var owner = new int[n];
        for (var k = 0; k < shardCount; k++)
        {
            owner.AsSpan(bounds[k], bounds[k + 1] - bounds[k]).Fill(k);
        }

        var remoteTargets = shardCount is > 1 and <= RoutedShards ? new ulong[n] : null;
        var crossing = 0L;
        var window = int.MaxValue;
        string? limiting = null;
        var errors = new List<SpecError>();
        for (var p = 0; p < spec.Projections.Count; p++)
        {
            var (start, end) = plan.ProjectionRanges[p];
            var minDelay = int.MaxValue;
            for (var e = start; e < end; e++)
            {
                var edge = plan.AllEdges[e];
                if (owner[edge.Source] != owner[edge.Target])
                {
                    minDelay = Math.Min(minDelay, edge.Delay);
                    crossing++;
                    if (remoteTargets is not null)
                    {
                        remoteTargets[edge.Source] |= 1UL << owner[edge.Target];
                    }
                }
            }

            var proj = spec.Projections[p];
            if (minDelay == int.MaxValue)
            {
                continue;
            }

            if (proj.Plasticity?.Kind == PlasticityKinds.RStdp)
            {
                errors.Add(new SpecError($"$.projections[{p}]",
                    $"projection '{proj.Name}' is R-STDP and has synapses across shards; its reward-gated eligibility cannot be replayed exactly " +
                    $"after a window, so run it on one shard (shard count 1) or keep its source and target populations within one shard"));
            }

            if (minDelay + 1 < window)
            {
                window = minDelay + 1;
                limiting = proj.Name;
            }
        }

        if (errors.Count > 0)
        {
            throw new NetworkSpecException(errors);
        }

        return new ShardPlan(spec, seed, bounds, limiting is null ? UnboundedWindowTicks : window, limiting, plan.FixedShift,
            remoteTargets, plan.AllEdges.Count, crossing);
    }

    /// <summary>
    /// How far, as a share of the even shard size, a bound may move to a population's edge to cut fewer synapses: a
    /// shard that much larger than the others slows each window by about as much, while an area split down the middle
    /// sends most of its spikes across.
    /// </summary>
    private const double AlignTolerance = 0.15;

    /// <summary>
    /// Shard k starts at ⌊N·k/n⌋, or at a population's first neuron within <see cref="AlignTolerance"/> of it when that
    /// bound is spanned by at least a fifth fewer synapses (populations connected mostly among themselves, such as
    /// areas, then stay whole). The bound then moves to the nearer edge of any span of neurons that must stay on one
    /// shard: the populations of an R-STDP projection and every population between them (ids are contiguous by
    /// population), merged where such spans overlap. R-STDP's reward-gated eligibility cannot be replayed after a
    /// window, so its synapses must not cross shards.
    /// </summary>
    /// <exception cref="NetworkSpecException">Keeping those spans whole leaves some shard without neurons (too many shards).</exception>
    private static int[] Bounds(NetworkSpec spec, int shardCount, List<Edge> edges)
    {
        var n = spec.NeuronCount;
        var offsets = spec.PopulationOffsets();
        var spans = new List<(int Lo, int Hi, List<string> Names)>();
        foreach (var proj in spec.Projections.Where(p => p.Plasticity?.Kind == PlasticityKinds.RStdp))
        {
            int s = spec.IndexOfPopulation(proj.Source), t = spec.IndexOfPopulation(proj.Target);
            spans.Add((Math.Min(offsets[s], offsets[t]), Math.Max(offsets[s] + spec.Populations[s].Size, offsets[t] + spec.Populations[t].Size), [proj.Name]));
        }

        var merged = new List<(int Lo, int Hi, List<string> Names)>();
        foreach (var span in spans.OrderBy(x => x.Lo))
        {
            if (merged.Count > 0 && span.Lo < merged[^1].Hi)
            {
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, span.Hi), [.. merged[^1].Names, .. span.Names]);
            }
            else
            {
                merged.Add(span);
            }
        }

        var spanned = shardCount > 1 ? SpannedSynapses(n, edges) : [];
        var bounds = new int[shardCount + 1];
        bounds[shardCount] = n;
        for (var k = 1; k < shardCount; k++)
        {
            var b = (int)((long)n * k / shardCount);
            var tolerance = AlignTolerance * n / shardCount;
            var aligned = offsets.Where(o => o > bounds[k - 1] && o < n && Math.Abs(o - b) <= tolerance)
                .OrderBy(o => spanned[o]).ThenBy(o => Math.Abs(o - b)).Select(o => (int?)o).FirstOrDefault();
            if (aligned is { } edge && spanned[edge] <= 0.8 * spanned[b])
            {
                b = edge;
            }

            foreach (var (lo, hi, _) in merged)
            {
                if (lo < b && b < hi)
                {
                    b = b - lo <= hi - b ? lo : hi;
                }
            }

            bounds[k] = Math.Max(b, bounds[k - 1]);
        }

        for (var k = 0; k < shardCount && shardCount > 1; k++)
        {
            if (bounds[k + 1] == bounds[k])
            {
                var names = string.Join(", ", merged.SelectMany(m => m.Names).Select(x => $"'{x}'"));
                var index = spec.Projections.ToList().FindIndex(p => p.Plasticity?.Kind == PlasticityKinds.RStdp);
                throw new NetworkSpecException([new SpecError($"$.projections[{index}]",
                    $"R-STDP projection(s) {names} must keep their populations on one shard (their reward-gated eligibility cannot be replayed after a window), " +
                    $"and with {shardCount} shards that leaves shard {k} without neurons; use fewer shards (silos)")]);
            }
        }

        return bounds;
    }

    /// <summary>For each x in [0, n], the synapses whose source and target lie on both sides of a bound at x (one end below x, the other at or above it).</summary>
    private static long[] SpannedSynapses(int n, List<Edge> edges)
    {
        var change = new long[n + 2];
        foreach (var edge in edges)
        {
            int lo = Math.Min(edge.Source, edge.Target), hi = Math.Max(edge.Source, edge.Target);
            if (lo != hi)
            {
                change[lo + 1]++;
                change[hi + 1]--;
            }
        }

        var spanned = new long[n + 1];
        long running = 0;
        for (var x = 0; x <= n; x++)
        {
            running += change[x];
            spanned[x] = running;
        }

        return spanned;
    }

    /// <summary>The first neuron of shard <paramref name="shard"/>.</summary>
    public int Lo(int shard) => _bounds[CheckShard(shard)];

    /// <summary>One past the last neuron of shard <paramref name="shard"/>.</summary>
    public int Hi(int shard) => _bounds[CheckShard(shard) + 1];

    /// <summary>The shard that owns <paramref name="neuron"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The neuron is outside the network.</exception>
    public int ShardOf(int neuron)
    {
        if ((uint)neuron >= (uint)_bounds[^1])
        {
            throw new ArgumentOutOfRangeException(nameof(neuron), $"neuron {neuron} is outside [0, {_bounds[^1]})");
        }

        var i = Array.BinarySearch(_bounds, neuron);

        // An exact hit is the first neuron of that shard; skip empty shards that share the bound.
        if (i >= 0)
        {
            while (i + 1 < _bounds.Length - 1 && _bounds[i + 1] == neuron)
            {
                i++;
            }

            return i;
        }

        return ~i - 1;
    }

    /// <summary>
    /// Whether <paramref name="neuron"/> has at least one synapse onto a neuron of <paramref name="shard"/> (another shard
    /// than its own): only then does that shard need its spikes. Always true above 64 shards, where no mask is kept.
    /// </summary>
    public bool Targets(int neuron, int shard)
    {
        CheckShard(shard);
        return _remoteTargets is null ? ShardOf(neuron) != shard : (_remoteTargets[neuron] & (1UL << shard)) != 0;
    }

    /// <summary>The assignment to pass as <see cref="EngineOptions.Shard"/> for shard <paramref name="shard"/>.</summary>
    public ShardAssignment For(int shard) => new(this, CheckShard(shard));

    private int CheckShard(int shard)
    {
        if ((uint)shard >= (uint)ShardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} is outside [0, {ShardCount})");
        }

        return shard;
    }
}
