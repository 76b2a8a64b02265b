using System.Globalization;

namespace NeuroMesh.Network;

/// <summary>Checks the supervision section: names, strategies, intensity, parents (no cycle), children and deciders.</summary>
internal static class SupervisionChecks
{
    private static readonly string[] Strategies = Enum.GetNames<Supervision.SupervisionStrategy>();
    private static readonly string[] Kinds = Enum.GetNames<Supervision.FailureKind>();
    private static readonly string[] Directives = Enum.GetNames<Supervision.SupervisorDirective>();
    private static readonly string[] RestartFroms = Enum.GetNames<Supervision.RestartFrom>();

    public static void Check(SpecChecker c, SupervisionSpec supervision, IReadOnlyDictionary<string, int> sizes, int neurons)
    {
        const string Root = "$.supervision.supervisors";
        c.UniqueNames(Root, supervision.Supervisors.Select(s => s?.Name));
        var parents = supervision.Supervisors.Where(s => s is not null && !string.IsNullOrEmpty(s.Name)).GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Parent);
        for (var i = 0; i < supervision.Supervisors.Count; i++)
        {
            var path = $"{Root}[{i}]";
            var s = supervision.Supervisors[i];
            if (!c.NotNull(path, s))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(s.Name))
            {
                c.Error($"{path}.name", "a supervisor needs a name");
            }

            if (!Strategies.Contains(s.Strategy, StringComparer.OrdinalIgnoreCase))
            {
                c.Error($"{path}.strategy", $"unknown strategy '{s.Strategy}' (known: {string.Join(", ", Strategies)})");
            }

            if (!RestartFroms.Contains(s.RestartFrom, StringComparer.OrdinalIgnoreCase))
            {
                c.Error($"{path}.restartFrom", $"unknown restartFrom '{s.RestartFrom}' (known: {string.Join(", ", RestartFroms)})");
            }

            if (s.MaxRestarts < 0)
            {
                c.Error($"{path}.maxRestarts", $"maxRestarts must be 0 or more (got {s.MaxRestarts})");
            }

            if (c.Finite($"{path}.withinSeconds", s.WithinSeconds) && s.WithinSeconds <= 0)
            {
                c.Error($"{path}.withinSeconds", $"withinSeconds must be > 0 (got {s.WithinSeconds})");
            }

            CheckParent(c, path, s, parents);
            for (var j = 0; j < s.Children.Count; j++)
            {
                CheckChild(c, $"{path}.children[{j}]", s.Children[j], sizes, neurons);
            }

            foreach (var (kind, directive) in s.Decider ?? [])
            {
                if (!Kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
                {
                    c.Error($"{path}.decider.{kind}", $"unknown failure kind '{kind}' (known: {string.Join(", ", Kinds)})");
                }
                else if (!Directives.Contains(directive, StringComparer.OrdinalIgnoreCase))
                {
                    c.Error($"{path}.decider.{kind}", $"unknown directive '{directive}' (known: {string.Join(", ", Directives)})");
                }
            }
        }
    }

    private static void CheckParent(SpecChecker c, string path, SupervisorSpec s, Dictionary<string, string?> parents)
    {
        if (s.Parent is null)
        {
            return;
        }

        if (!parents.ContainsKey(s.Parent))
        {
            c.Error($"{path}.parent", $"unknown supervisor '{s.Parent}'");
            return;
        }

        var chain = new List<string> { s.Name };
        for (var p = s.Parent; p is not null && parents.ContainsKey(p); p = parents[p])
        {
            chain.Add(p);
            if (p == s.Name)
            {
                chain.Reverse();
                c.Error($"{path}.parent", $"the parents make a cycle: {string.Join(" -> ", chain)}");
                return;
            }

            if (chain.Count > parents.Count + 1)
            {
                return; // a cycle above this supervisor, reported at its own members
            }
        }
    }

    private static void CheckChild(SpecChecker c, string path, string? child, IReadOnlyDictionary<string, int> sizes, int neurons)
    {
        var colon = child?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (child is null || colon <= 0)
        {
            c.Error(path, $"'{child}' is not a child: write neuron:ID, population:NAME or region:PATH");
            return;
        }

        var (kind, key) = (child[..colon], child[(colon + 1)..]);
        switch (kind)
        {
            case "neuron" when !uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id >= (uint)neurons:
                c.Error(path, $"neuron '{key}' is not in the network (0..{neurons - 1})");
                break;
            case "population" when !sizes.ContainsKey(key):
                c.Error(path, $"unknown population '{key}'");
                break;
            case "region" when !Regions.RegionPath.TryParse(key, out _):
                c.Error(path, $"'{key}' is not a region path");
                break;
            case "neuron" or "population" or "region":
                break;
            default:
                c.Error(path, $"unknown child kind '{kind}' (neuron, population or region; a supervisor child is declared by its own 'parent')");
                break;
        }
    }
}
