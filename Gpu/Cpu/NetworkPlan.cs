using System.Runtime.InteropServices;
using NeuroMesh.Network;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine.Cpu;

/// <summary>Everything derived from a spec before the engine allocates its state: edges, dense blocks, filters, delays and the fixed-point shift.</summary>
/// <remarks>
/// A shard builds the plan of its targets [<paramref name="targetLo"/>, <paramref name="targetHi"/>) only, with the
/// fixed-point shift of the whole network (<paramref name="fixedShift"/>), so its fixed-point weights match the unsharded engine.
/// </remarks>
internal sealed class NetworkPlan
{
    public NetworkPlan(NetworkSpec spec, ulong seed, DendriticFilterRegistry registry, int targetLo = 0, int targetHi = int.MaxValue, int? fixedShift = null)
    {
        var n = spec.NeuronCount;
        var offsets = spec.PopulationOffsets();
        var edges = new List<Edge>((int)Math.Min(EstimateEdges(spec), Array.MaxLength / 2));
        Filters.Add(null);
        for (var p = 0; p < spec.Projections.Count; p++)
        {
            var proj = spec.Projections[p];
            ushort filter = 0;
            if (proj.Filter is not null)
            {
                Filters.Add(Filter(proj.Filter, registry, p));
                filter = (ushort)(Filters.Count - 1);
            }

            short plastic = -1;
            if (proj.Plasticity is { } ps && ps.Kind != PlasticityKinds.None)
            {
                var src = spec.IndexOfPopulation(proj.Source);
                PlasticSpecs.Add((ps, offsets[src], offsets[src] + spec.Populations[src].Size));
                plastic = (short)(PlasticSpecs.Count - 1);
            }

            var start = edges.Count;
            if (proj.Storage == SynapseStorageKinds.Dense)
            {
                var dense = new List<Edge>();
                ConnectivityExpander.Expand(spec, seed, p, proj, -1, 0, dense, targetLo, targetHi);
                DenseEdges.Add((proj, dense));
                edges.AddRange(dense.Select(e => e with { Plastic = short.MinValue }));
            }
            else
            {
                ConnectivityExpander.Expand(spec, seed, p, proj, plastic, filter, edges, targetLo, targetHi);
            }

            ProjectionRanges.Add((start, edges.Count));
        }

        // Fixed-point shift: the largest power of two for which the worst-case input of one tick to one neuron
        // (every incoming synapse at its largest possible weight, plus the stimuli) stays below 2^30.
        var bound = new double[n];
        foreach (var e in edges)
        {
            var w = Math.Abs(e.Weight);
            if (e.Plastic >= 0)
            {
                var ps = PlasticSpecs[e.Plastic].Spec;
                w = (float)Math.Max(w, Math.Max(Math.Abs(ps.WMin), Math.Abs(ps.WMax)));
            }

            bound[e.Target] += w;
        }

        var max = Math.Max(StimulusPlan.Bound(spec, bound), 1e-9);
        FixedShift = fixedShift ?? (int)Math.Clamp(Math.Floor(Math.Log2((1 << 30) / max)), 0, 24);
        InBound = bound;
        var all = CollectionsMarshal.AsSpan(edges);
        var maxDelay = 0;
        foreach (ref readonly var e in all)
        {
            maxDelay = Math.Max(maxDelay, e.Delay);
        }

        MaxDelay = maxDelay;
        AllEdges = edges;
        Edges = DenseEdges.Count == 0 ? all.ToArray() : [.. edges.Where(e => e.Plastic != short.MinValue)];
    }

    public Edge[] Edges { get; }

    /// <summary>Every edge, dense ones included, in projection order (see <see cref="ProjectionRanges"/>).</summary>
    public List<Edge> AllEdges { get; }

    /// <summary>The range [Start, End) of each projection's edges in <see cref="AllEdges"/>, in spec order.</summary>
    public List<(int Start, int End)> ProjectionRanges { get; } = [];

    /// <summary>The expected number of synapses of the whole spec (sparse and dense), by rule; a few percent high for fixed_probability.</summary>
    internal static double EstimateEdges(NetworkSpec spec) => spec.Projections.Sum(p => EstimateEdges(spec, p));

    /// <summary>The expected number of synapses of one projection, by its rule.</summary>
    internal static double EstimateEdges(NetworkSpec spec, ProjectionSpec p)
    {
        var ns = spec.Populations.FirstOrDefault(x => x.Name == p.Source)?.Size ?? 0;
        var nt = spec.Populations.FirstOrDefault(x => x.Name == p.Target)?.Size ?? 0;
        return p.Rule.Kind switch
        {
            ConnectionRuleKinds.FixedProbability => (ns * (double)nt * p.Rule.P * 1.01) + 64,
            ConnectionRuleKinds.FixedInDegree => nt * (double)p.Rule.N,
            ConnectionRuleKinds.FixedOutDegree => ns * (double)p.Rule.N,
            ConnectionRuleKinds.AllToAll => ns * (double)nt,
            ConnectionRuleKinds.OneToOne => ns,
            _ => p.Rule.Pairs?.Count ?? 0,
        };
    }

    public List<(ProjectionSpec Spec, List<Edge> Edges)> DenseEdges { get; } = [];

    public List<DendriticFilter?> Filters { get; } = [];

    public List<(PlasticitySpec Spec, int SrcStart, int SrcEnd)> PlasticSpecs { get; } = [];

    public double[] InBound { get; }

    public int FixedShift { get; }

    public int MaxDelay { get; }

    // An unregistered custom filter is a fault of the spec on this node, not a missing resource: it is reported as a spec
    // error at the filter's JSON path (a 400 at the gateway), not as the registry's KeyNotFoundException (a 404).
    private static DendriticFilter Filter(FilterSpec filter, DendriticFilterRegistry registry, int projection)
    {
        try
        {
            return DendriticFilter.FromSpec(filter, registry);
        }
        catch (KeyNotFoundException)
        {
            throw new NetworkSpecException([new SpecError(
                $"$.projections[{projection}].filter.name",
                $"no custom dendritic filter is registered under '{filter.Name}' on this node; register it (DendriticFilterRegistry.Register) on every silo before running the spec")]);
        }
    }
}
