using System.Text.Json.Nodes;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Network;

[Trait("Tier", "Unit")]
public class NetworkSpecValidationTests
{
    private const string Baseline = """
    {
      "dt": 0.1, "duration": 100, "seed": 3,
      "populations": [
        { "name": "A", "size": 10, "model": "lif_cuba", "params": { "tauM": 20, "refractory": 2 } },
        { "name": "B", "size": 5, "model": "lif_delta" }
      ],
      "projections": [
        { "name": "AB", "source": "A", "target": "B", "rule": { "kind": "fixed_probability", "p": 0.5 },
          "weight": { "kind": "uniform", "low": 0.1, "high": 0.2 }, "delay": 1.0,
          "plasticity": { "kind": "stdp" }, "filter": { "kind": "priority_threshold", "minPriority": 2 } }
      ],
      "stimuli": [
        { "name": "drive", "kind": "poisson", "target": "A", "rate": 10, "weight": 0.5 },
        { "name": "pulse", "kind": "spike_times", "target": "B", "weight": 1, "spikes": [ { "neuron": 1, "time": 5.0 } ] }
      ],
      "monitors": [ { "name": "vA", "kind": "state", "population": "A", "variable": "v", "interval": 0.5 } ]
    }
    """;

    [Fact]
    public void The_baseline_and_the_examples_are_valid()
    {
        Assert.Empty(NetworkSpecValidator.Validate(NetworkSpec.Parse(Baseline)));
        foreach (var file in Directory.GetFiles(ExamplesDirectory(), "*.json"))
        {
            // agents.json wraps its NetworkSpec in the agents demo file (agents, regions, trials).
            var spec = Path.GetFileName(file) == "agents.json" ? NeuroMesh.Agents.Demo.AgentsDemoSpec.Load(file).Network : NetworkSpec.Load(file);
            Assert.NotEmpty(spec.Populations);
        }
    }

    [Theory]
    [InlineData("dt", "0", "$.dt", "dt must be > 0")]
    [InlineData("dt", "-0.1", "$.dt", "dt must be > 0")]
    [InlineData("dt", "\"NaN\"", "$.dt", "finite")]
    [InlineData("duration", "\"Infinity\"", "$.duration", "finite")]
    [InlineData("duration", "100.05", "$.duration", "not a multiple of dt")]
    [InlineData("populations[0].size", "-1", "$.populations[0].size", "size must be >= 0")]
    [InlineData("populations[0].model", "\"hodgkin\"", "$.populations[0].model", "unknown model 'hodgkin'")]
    [InlineData("populations[0].params.tauM", "-5", "$.populations[0].params.tauM", "tau must be > 0")]
    [InlineData("populations[0].params.tauE", "0", "$.populations[0].params.tauE", "tau must be > 0")]
    [InlineData("populations[0].params.vReset", "-40", "$.populations[0].params.vReset", "must be below vThreshold")]
    [InlineData("populations[0].params.refractory", "0.25", "$.populations[0].params.refractory", "not a multiple of dt")]
    [InlineData("populations[0].params.refractory", "-1", "$.populations[0].params.refractory", ">= 0")]
    [InlineData("populations[1].name", "\"A\"", "$.populations[1].name", "duplicate name 'A'")]
    [InlineData("projections[0].source", "\"Z\"", "$.projections[0].source", "unknown population 'Z'")]
    [InlineData("projections[0].target", "\"Q\"", "$.projections[0].target", "unknown population 'Q'")]
    [InlineData("projections[0].rule.p", "1.5", "$.projections[0].rule.p", "probability must be in [0, 1]")]
    [InlineData("projections[0].rule.p", "-0.1", "$.projections[0].rule.p", "probability must be in [0, 1]")]
    [InlineData("projections[0].rule.kind", "\"random\"", "$.projections[0].rule.kind", "unknown connection rule")]
    [InlineData("projections[0].rule", "{ \"kind\": \"one_to_one\" }", "$.projections[0].rule.kind", "equal size")]
    [InlineData("projections[0].rule", "{ \"kind\": \"fixed_in_degree\", \"n\": -3 }", "$.projections[0].rule.n", "degree must be >= 0")]
    [InlineData("projections[0].rule", "{ \"kind\": \"explicit\", \"pairs\": [[0, 1], [0, 9]] }", "$.projections[0].rule.pairs[1]", "outside the populations")]
    [InlineData("projections[0].rule", "{ \"kind\": \"fixed_in_degree\", \"n\": 2147483647 }", "$.projections[0].rule.n", "a projection holds at most 2,147,483,647")]
    [InlineData("projections[0].rule", "{ \"kind\": \"fixed_out_degree\", \"n\": 1000000000 }", "$.projections[0].rule.n", "10,000,000,000 synapses")]
    [InlineData("projections[0].delay", "6553.6", "$.projections[0].delay", "at most 65535 ticks")]
    [InlineData("projections[0].delay", "-1", "$.projections[0].delay", "must be >= 0")]
    [InlineData("projections[0].delay", "0.15", "$.projections[0].delay", "not a multiple of dt")]
    [InlineData("projections[0].delay", "{ \"kind\": \"uniform\", \"low\": 1, \"high\": 1.25 }", "$.projections[0].delay.high", "not a multiple of dt")]
    [InlineData("projections[0].weight", "\"NaN\"", "$.projections[0].weight", "finite")]
    [InlineData("projections[0].weight", "{ \"kind\": \"uniform\", \"low\": 2, \"high\": 1 }", "$.projections[0].weight", "must not exceed high")]
    [InlineData("projections[0].weight", "{ \"kind\": \"gamma\" }", "$.projections[0].weight.kind", "unknown distribution")]
    [InlineData("projections[0].channel", "\"sideways\"", "$.projections[0].channel", "unknown channel")]
    [InlineData("projections[0].storage", "\"dense\"", "$.projections[0].plasticity", "dense storage does not support plasticity")]
    [InlineData("projections[0].plasticity.tauPlus", "-20", "$.projections[0].plasticity.tauPlus", "tau must be > 0")]
    [InlineData("projections[0].plasticity.kind", "\"hebb\"", "$.projections[0].plasticity.kind", "unknown plasticity")]
    [InlineData("projections[0].plasticity.wMin", "2", "$.projections[0].plasticity.wMin", "must not exceed wMax")]
    [InlineData("projections[0].filter.minPriority", "300", "$.projections[0].filter.minPriority", "[0, 255]")]
    [InlineData("projections[0].filter", "{ \"kind\": \"payload_prefix\", \"prefix\": \"abc\" }", "$.projections[0].filter.prefix", "hex digits")]
    [InlineData("projections[0].filter", "{ \"kind\": \"type\", \"type\": \"loud\" }", "$.projections[0].filter.type", "unknown spike type")]
    [InlineData("stimuli[0].target", "\"nowhere\"", "$.stimuli[0].target", "unknown population 'nowhere'")]
    [InlineData("stimuli[0].rate", "-3", "$.stimuli[0].rate", "rate must be >= 0")]
    [InlineData("stimuli[0].neurons", "[0, 10]", "$.stimuli[0].neurons[1]", "outside the population")]
    [InlineData("stimuli[1].name", "\"drive\"", "$.stimuli[1].name", "duplicate name 'drive'")]
    [InlineData("stimuli[1].spikes[0].time", "5.05", "$.stimuli[1].spikes[0].time", "not a multiple of dt")]
    [InlineData("stimuli[1].spikes[0].time", "100", "$.stimuli[1].spikes[0].time", "not before the end")]
    [InlineData("stimuli[1].spikes[0].neuron", "5", "$.stimuli[1].spikes[0].neuron", "outside the population")]
    [InlineData("monitors[0].population", "\"C\"", "$.monitors[0].population", "unknown population 'C'")]
    [InlineData("monitors[0].variable", "\"w\"", "$.monitors[0].variable", "unknown state variable")]
    [InlineData("monitors[0].interval", "0.33", "$.monitors[0].interval", "not a multiple of dt")]
    public void An_invalid_spec_is_rejected_with_its_path_and_reason(string member, string json, string path, string reason)
    {
        var root = JsonNode.Parse(Baseline)!;
        Set(root, member, JsonNode.Parse(json));
        var e = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse(root.ToJsonString()));
        Assert.Contains(e.Errors, err => err.Path == path && err.Message.Contains(reason, StringComparison.Ordinal));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_and_unknown_members_are_rejected_with_a_path()
    {
        var e = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("""{ "dt": 0.1, "populations": [ { "name": "A", "sise": 3 } ] }"""));
        Assert.StartsWith("$.populations[0]", e.Errors[0].Path, StringComparison.Ordinal);
        e = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("""{ "dt": "fast" }"""));
        Assert.Equal("$.dt", e.Errors[0].Path);
        Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("null"));
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var e = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("""{ "dt": -1, "populations": [ { "name": "A", "size": -2, "model": "x" } ] }"""));
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void A_spec_round_trips_through_json()
    {
        var spec = NetworkSpec.Parse(Baseline);
        var again = NetworkSpec.Parse(spec.ToJson());
        Assert.Equal(spec.ToJson(), again.ToJson());
        Assert.Equal(0.1, again.Dt);
        Assert.Equal(DistributionKinds.Uniform, again.Projections[0].Weight.Kind);
        Assert.Equal(0.2, again.Projections[0].Weight.High);
        Assert.Equal(1.0, again.Projections[0].Delay.Value);
        Assert.Equal(0.012, again.Projections[0].Plasticity!.AMinus);
        Assert.Equal(5.0, again.Stimuli[1].Spikes![0].Time);
        Assert.Equal(1000, NetworkSpec.Load(Path.Combine(ExamplesDirectory(), "cuba.json")).TotalTicks * 0.1, 6);
    }

    internal static string ExamplesDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples")))
        {
            dir = dir.Parent;
        }

        return dir is null ? throw new DirectoryNotFoundException("examples/ not found above the test binaries") : Path.Combine(dir.FullName, "examples");
    }

    private static void Set(JsonNode root, string member, JsonNode? value)
    {
        var parts = member.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = Step(node, part);
        }

        var last = parts[^1];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            var array = node[last[..bracket]]!.AsArray();
            array[int.Parse(last[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            node[last] = value;
        }
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        var bracket = part.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0
            ? node[part]!
            : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
    }
}
