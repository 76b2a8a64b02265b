using System.Text.Json;
using NeuroMesh.Network;

namespace NeuroMesh.Agents.Demo;

/// <summary>
/// The agents demo file (<c>examples/agents.json</c>): a NetworkSpec whose neurons host agents, the agents (name, neuron,
/// region, behaviour, capabilities) and the trial schedule.
/// </summary>
public sealed record AgentsDemoSpec
{
    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>Trials to run: the sensor fires once per trial.</summary>
    public int Trials { get; init; } = 200;

    /// <summary>Ticks per trial (long enough for sensor → classifier → actuator → critic → reward, and for the traces to fade).</summary>
    public int TrialTicks { get; init; } = 25;

    /// <summary>The seed of the behaviours' random choices (the network has its own seed).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The network the agents live in (synapses, plasticity, modulatory reward projections).</summary>
    public required NetworkSpec Network { get; init; }

    /// <summary>The agents, each hosted on one neuron of the network.</summary>
    public required IReadOnlyList<AgentSpec> Agents { get; init; }

    /// <summary>Parses and checks a demo file.</summary>
    /// <exception cref="ArgumentException">The file is not valid; the message names the problem.</exception>
    public static AgentsDemoSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        if (!root.TryGetProperty("network", out var networkJson))
        {
            throw new ArgumentException("The agents demo file needs a 'network' (a NetworkSpec).", nameof(json));
        }

        NetworkSpec network;
        try
        {
            network = NetworkSpec.Parse(networkJson.GetRawText());
        }
        catch (NetworkSpecException e)
        {
            throw new ArgumentException($"network: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(json));
        }

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var agents = root.TryGetProperty("agents", out var agentsJson) ? agentsJson.Deserialize<List<AgentSpec>>(options) ?? [] : [];
        var spec = new AgentsDemoSpec
        {
            Description = root.TryGetProperty("description", out var d) ? d.GetString() : null,
            Trials = root.TryGetProperty("trials", out var t) ? t.GetInt32() : 200,
            TrialTicks = root.TryGetProperty("trialTicks", out var tt) ? tt.GetInt32() : 25,
            Seed = root.TryGetProperty("seed", out var s) ? s.GetInt32() : 1,
            Network = network,
            Agents = agents,
        };
        spec.Check();
        return spec;
    }

    /// <summary>Reads and parses a demo file.</summary>
    public static AgentsDemoSpec Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The neuron id of an agent (its population's first id plus its index).</summary>
    public uint NeuronOf(AgentSpec agent)
    {
        var index = Network.IndexOfPopulation(agent.Population);
        return (uint)(Network.PopulationOffsets()[index] + agent.Index);
    }

    private void Check()
    {
        if (Trials < 1 || TrialTicks < 5)
        {
            throw new ArgumentException($"trials must be at least 1 and trialTicks at least 5 (got {Trials} and {TrialTicks}).");
        }

        if ((long)Trials * TrialTicks > Network.TotalTicks)
        {
            throw new ArgumentException($"trials × trialTicks = {(long)Trials * TrialTicks} ticks, longer than the network's duration ({Network.TotalTicks} ticks).");
        }

        foreach (var agent in Agents)
        {
            var index = Network.IndexOfPopulation(agent.Population);
            if (index < 0 || agent.Index < 0 || agent.Index >= Network.Populations[index].Size)
            {
                throw new ArgumentException($"agent '{agent.Name}': population '{agent.Population}' has no neuron {agent.Index}.");
            }

            if (!Regions.RegionPath.TryParse(agent.Region, out _, out var error))
            {
                throw new ArgumentException($"agent '{agent.Name}': {error}");
            }
        }
    }
}
