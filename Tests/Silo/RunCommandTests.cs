using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Silo.Commands;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-run-").FullName;

    [Fact]
    public void Run_prints_the_summary_of_the_spec_and_its_hash_matches_the_engine()
    {
        var spec = Path.Combine(ExamplesDirectory.Root(), "examples", "delta_delays.json");
        var json = Path.Combine(_dir, "summary.json");
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(0, RunCommand.Execute(["--threads", "1", spec, "--json", json], output, error));

        using var engine = new CpuEngine(NetworkSpec.Load(spec), new EngineOptions { Threads = 2 });
        var expected = engine.Run();
        var text = output.ToString();
        Assert.Contains($"spike-train hash {expected.SpikeTrainHash}", text);
        Assert.Contains($"spikes           {expected.Spikes.Length:N0}", text);
        Assert.Contains("neurons", text);
        Assert.Contains("real-time factor", text);
        Assert.Contains(expected.SpikeTrainHash, File.ReadAllText(json));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void An_invalid_spec_is_refused_with_its_json_path_before_anything_runs()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{ "dt": -1, "duration": 10, "populations": [] }""");
        var error = new StringWriter();
        Assert.Equal(2, RunCommand.Execute([bad], new StringWriter(), error));
        Assert.Contains("$.dt", error.ToString());
    }

    [Theory]
    [InlineData(new string[0], "needs a spec file")]
    [InlineData(new[] { "a.json", "b.json" }, "one spec at a time")]
    [InlineData(new[] { "a.json", "--silos" }, "unknown option '--silos'")]
    [InlineData(new[] { "a.json", "--threads" }, "--threads needs a value")]
    [InlineData(new[] { "/no/such/spec.json" }, "cannot read /no/such/spec.json")]
    public void Bad_arguments_get_a_clear_error(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, RunCommand.Execute(args, new StringWriter(), error));
        Assert.Contains(message, error.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
