using System.Globalization;
using NeuroMesh.Network;

namespace NeuroMesh.Supervision;

/// <summary>Builds the supervision tree a <see cref="NetworkSpec"/> declares, through the supervisor grains' API.</summary>
public static class SupervisionDeployer
{
    /// <summary>
    /// Configures every supervisor of <paramref name="spec"/>'s supervision section, adds its children in the order given
    /// (a population expands to its neurons in id order), and attaches each supervisor to its parent. Deploying the same
    /// spec again changes nothing. Returns the supervisors' ids, roots first.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DeployAsync(IGrainFactory grains, NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Supervision is not { } supervision)
        {
            return [];
        }

        var offsets = spec.PopulationOffsets();
        var ordered = new List<SupervisorSpec>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < supervision.Supervisors.Count)
        {
            var next = supervision.Supervisors.Where(s => !placed.Contains(s.Name) && (s.Parent is null || placed.Contains(s.Parent))).ToArray();
            if (next.Length == 0)
            {
                throw new ArgumentException("The supervision section's parents do not form a tree (validate the spec first).", nameof(spec));
            }

            ordered.AddRange(next);
            placed.UnionWith(next.Select(s => s.Name));
        }

        foreach (var s in ordered)
        {
            var supervisor = grains.GetGrain<ISupervisorGrain>(s.Name);
            await supervisor.Configure(new SupervisorConfig
            {
                Strategy = Enum.Parse<SupervisionStrategy>(s.Strategy, ignoreCase: true),
                MaxRestarts = s.MaxRestarts,
                WithinSeconds = s.WithinSeconds,
                RestartFrom = Enum.Parse<RestartFrom>(s.RestartFrom, ignoreCase: true),
                Decider = (s.Decider ?? []).Aggregate(SupervisorConfig.DefaultDecider, (d, e) => d.SetItem(Enum.Parse<FailureKind>(e.Key, true), Enum.Parse<SupervisorDirective>(e.Value, true))),
            });
            foreach (var child in s.Children.SelectMany(c => Expand(spec, offsets, c)))
            {
                await supervisor.AddChild(child);
            }

            if (s.Parent is not null)
            {
                await grains.GetGrain<ISupervisorGrain>(s.Parent).AddChild(ChildRef.Supervisor(s.Name));
            }
        }

        return [.. ordered.Select(s => s.Name)];
    }

    private static IEnumerable<ChildRef> Expand(NetworkSpec spec, int[] offsets, string child)
    {
        var colon = child.IndexOf(':', StringComparison.Ordinal);
        var (kind, key) = (child[..colon], child[(colon + 1)..]);
        if (kind == "population")
        {
            var index = spec.IndexOfPopulation(key);
            return Enumerable.Range(offsets[index], spec.Populations[index].Size).Select(n => ChildRef.Neuron((uint)n));
        }

        return [kind == "neuron" ? ChildRef.Neuron(uint.Parse(key, CultureInfo.InvariantCulture)) : ChildRef.Region(key)];
    }
}
