using System.Globalization;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Silo.Commands;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-run-").FullName;

    private Dictionary<string, string?> Settings => new() { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "deltalog.db") };

    [Theory]
    [InlineData(1, "Push")]
    [InlineData(2, "Push")]
    [InlineData(3, "Push")]
    [InlineData(3, "Streams")]
    [InlineData(3, "Calls")]
    public async Task Run_starts_a_cluster_of_n_silos_prints_the_summary_and_its_hash_matches_one_engine(int silos, string transport)
    {
        var settings = Settings;
        settings["NeuroMesh:Cluster:LockstepTransport"] = transport;
        var spec = Path.Combine(ExamplesDirectory.Root(), "examples", "delta_delays.json");
        var json = Path.Combine(_dir, "summary.json");
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(0, await EmbeddedRunCommand.ExecuteAsync(["--threads", "1", spec, "--silos", silos.ToString(CultureInfo.InvariantCulture), "--json", json], output, error, settings));

        using var engine = new CpuEngine(NetworkSpec.Load(spec), new EngineOptions { Threads = 2 });
        var expected = engine.Run();
        var text = output.ToString();
        Assert.Contains($"silos            {silos} in lockstep", text);
        if (silos > 1)
        {
            Assert.Contains($"transport        {transport}", text);
        }

        Assert.Contains("synapses         ", text);
        Assert.DoesNotContain("synapses         0\n", text);
        Assert.Contains($"spike-train hash {expected.SpikeTrainHash}", text);
        Assert.Contains($"spikes           {expected.Spikes.Length:N0}", text);
        Assert.Contains("neurons", text);
        Assert.Contains("real-time factor", text);
        Assert.Contains(expected.SpikeTrainHash, File.ReadAllText(json));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task An_invalid_spec_is_refused_with_its_json_path_before_anything_runs()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{ "dt": -1, "duration": 10, "populations": [] }""");
        var error = new StringWriter();
        Assert.Equal(2, await EmbeddedRunCommand.ExecuteAsync([bad], new StringWriter(), error, Settings));
        Assert.Contains("$.dt", error.ToString());
    }

    [Theory]
    [InlineData(new string[0], "needs a spec file")]
    [InlineData(new[] { "a.json", "b.json" }, "one spec at a time")]
    [InlineData(new[] { "a.json", "--silos" }, "--silos needs a value")]
    [InlineData(new[] { "a.json", "--silos", "0" }, "--silos needs a whole number from 1 to 64 (got '0')")]
    [InlineData(new[] { "a.json", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "a.json", "--threads" }, "--threads needs a value")]
    [InlineData(new[] { "/no/such/spec.json" }, "cannot read /no/such/spec.json")]
    public async Task Bad_arguments_get_a_clear_error(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, await EmbeddedRunCommand.ExecuteAsync(args, new StringWriter(), error, Settings));
        Assert.Contains(message, error.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
