using System.Text.RegularExpressions;
using NeuroMesh.Network;
using NeuroMesh.Silo.Commands;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

/// <summary><c>run</c> then <c>replay</c> over the same SQLite delta log, each on its own embedded cluster.</summary>
public sealed partial class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-replay-").FullName;

    private Dictionary<string, string?> Settings => new() { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "deltalog.db") };

    [Fact]
    public async Task A_run_is_replayed_from_its_log_on_another_cluster_with_every_checkpoint_reproduced()
    {
        var spec = Path.Combine(_dir, "spec.json");
        File.WriteAllText(spec, (ExamplesDirectory.Spec("delta_delays.json") with { Duration = 250 }).ToJson());
        var ran = new StringWriter();
        Assert.Equal(0, await EmbeddedRunCommand.ExecuteAsync([spec, "--silos", "2"], ran, new StringWriter(), Settings));
        var runId = RunId().Match(ran.ToString()).Groups[1].Value;
        var hash = Hash().Match(ran.ToString()).Groups[1].Value;

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await EmbeddedReplayCommand.ExecuteAsync([runId, "--verify", "--silos", "3"], output, error, Settings));
        var text = output.ToString();
        Assert.Empty(error.ToString());
        Assert.Contains("replayed to      tick 2,500 on 3 silo(s)", text);
        Assert.Contains("checkpoints      3 reproduced exactly", text);
        Assert.Equal(3, Regex.Matches(text, "^checkpoint .* reproduced$", RegexOptions.Multiline).Count);
        Assert.Contains($"spike-train hash {hash}", text);

        var partial = new StringWriter();
        Assert.Equal(0, await EmbeddedReplayCommand.ExecuteAsync([runId, "--to-tick", "1500"], partial, new StringWriter(), Settings));
        Assert.Contains("replayed to      tick 1,500 on 1 silo(s)", partial.ToString());
        Assert.Contains("checkpoints      1 reproduced exactly", partial.ToString());

        var past = new StringWriter();
        Assert.Equal(2, await EmbeddedReplayCommand.ExecuteAsync([runId, "--to-tick", "9999"], new StringWriter(), past, Settings));
        Assert.Contains("logged up to tick 2500", past.ToString());
    }

    [Theory]
    [InlineData(new string[0], "replay needs a run id")]
    [InlineData(new[] { "a", "b" }, "one run at a time")]
    [InlineData(new[] { "a", "--to-tick", "x" }, "--to-tick needs a whole number")]
    [InlineData(new[] { "a", "--silos", "0" }, "--silos needs a whole number from 1 to 64")]
    [InlineData(new[] { "a", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "no-such-run" }, "run 'no-such-run' has no log here")]
    public async Task Bad_arguments_and_unknown_runs_get_a_clear_error(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, await EmbeddedReplayCommand.ExecuteAsync(args, new StringWriter(), error, Settings));
        Assert.Contains(message, error.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"\(run ([^)]+)\)")]
    private static partial Regex RunId();

    [GeneratedRegex(@"spike-train hash ([0-9a-f]{64})")]
    private static partial Regex Hash();
}
