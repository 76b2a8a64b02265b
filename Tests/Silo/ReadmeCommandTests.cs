using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

/// <summary>
/// The README's commands, verbatim, as a new user types them: every <c>dotnet run -c Release --project Silo -- …</c>
/// line in the README's <c>sh</c> blocks runs as a shell command from the root of a fresh copy of the repository (its
/// tracked and unignored files, no build outputs), in the order the README gives them. The copy is built once, by
/// the first command. A README that drifts from the program (a path, a verb, an option, the printed hash) fails here.
/// </summary>
[Collection(ReadmeCommandCollection.Name)]
public partial class ReadmeCommandTests
{
    private const string Prefix = "dotnet run -c Release --project Silo -- ";
    private const string MainCommand = Prefix + "run examples/cuba.json";

    [Fact]
    public void The_readme_names_the_two_commands_and_ci_runs_the_test_script()
    {
        var commands = ShellLines(File.ReadAllText(Path.Combine(ExamplesDirectory.Root(), "README.md")));
        Assert.Contains(MainCommand, commands);
        Assert.Contains("./test.sh", commands);

        var ci = File.ReadAllText(Path.Combine(ExamplesDirectory.Root(), ".ci", "run"));
        Assert.Matches(new Regex(@"^exec \./test\.sh\b", RegexOptions.Multiline), ci);
    }

    [Fact]
    public async Task The_readme_commands_work_verbatim_from_the_root_of_a_fresh_copy()
    {
        var root = ExamplesDirectory.Root();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var commands = ShellLines(readme).Where(line => line.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(MainCommand, commands);
        Assert.Contains(commands, c => c.Contains(" --json ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains(" replay <run-id>", StringComparison.Ordinal));

        // The hash the README shows for the main command is the one every run of it prints.
        var readmeHash = HashLine().Match(readme);
        Assert.True(readmeHash.Success, "the README shows no 'spike-train hash' line for its main command");

        var copy = FreshCopy(root);
        try
        {
            string? runId = null;
            foreach (var command in commands)
            {
                Assert.False(command.Contains("<run-id>", StringComparison.Ordinal) && runId is null, $"'{command}' comes before any run printed an id");
                var line = runId is null ? command : command.Replace("<run-id>", runId, StringComparison.Ordinal);
                var (code, output) = await ShellAsync(copy, line, TimeSpan.FromMinutes(runId is null ? 12 : 5));
                Assert.True(code == 0, $"'{line}' exited with {code}:\n{output}");
                Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);

                var hash = HashLine().Match(output);
                Assert.True(hash.Success, $"'{line}' printed no spike-train hash:\n{output}");
                Assert.Equal(readmeHash.Groups[1].Value, hash.Groups[1].Value);

                if (command.StartsWith(Prefix + "run ", StringComparison.Ordinal))
                {
                    Assert.Contains("time             engine ", output, StringComparison.Ordinal); // where the wall time went
                    var id = RunIdLine().Match(output);
                    Assert.True(id.Success, $"'{line}' printed no run id:\n{output}");
                    runId = id.Groups[1].Value;
                }
                else
                {
                    Assert.Contains("reproduced exactly", output, StringComparison.Ordinal);
                    if (command.Contains("--from-start", StringComparison.Ordinal))
                    {
                        Assert.Contains("started from     tick 0", output, StringComparison.Ordinal);
                    }
                }

                var json = Regex.Match(command, @"--json (\S+)");
                if (json.Success)
                {
                    // Relative to where the command ran, in a folder the command made.
                    var path = Path.Combine(copy, json.Groups[1].Value);
                    Assert.True(File.Exists(path), $"'{line}' did not write {path}:\n{output}");
                    using var summary = JsonDocument.Parse(File.ReadAllText(path));
                    Assert.Equal(readmeHash.Groups[1].Value, summary.RootElement.GetProperty("spikeTrainHash").GetString());
                }
            }

            // The embedded default's delta log is under the folder the user ran from, not the project's folder.
            Assert.True(File.Exists(Path.Combine(copy, "data", "deltalog.db")), "no data/deltalog.db at the copy's root");
            Assert.False(Directory.Exists(Path.Combine(copy, "Silo", "data")), "the run wrote its log under Silo/data");
        }
        finally
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is cleaned by the system.
            }
        }
    }

    /// <summary>The lines of the README's <c>sh</c> fenced blocks, trimmed, in order.</summary>
    private static List<string> ShellLines(string markdown)
    {
        var lines = new List<string>();
        var inShell = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && line is "```sh" or "```bash" or "```shell";
                continue;
            }

            if (inShell && line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>What a fresh clone of this working tree holds: its tracked and unignored files, nothing built.</summary>
    private static string FreshCopy(string root)
    {
        var (code, listing) = RunProcess("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], root);
        Assert.True(code == 0, $"git ls-files failed:\n{listing}");
        var copy = Path.Combine(Path.GetTempPath(), $"neuromesh-readme-{Guid.NewGuid():N}"[..30]);
        foreach (var file in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(root, file);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree, not yet committed
            }

            var target = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        return copy;
    }

    /// <summary>
    /// Runs <paramref name="command"/> with bash in <paramref name="folder"/>, no standard input, its output to a file
    /// (build servers the command leaves behind cannot hold a pipe open). MSBuild variables of the test host are not
    /// passed on, so the command builds as it would from a terminal.
    /// </summary>
    private static async Task<(int Code, string Output)> ShellAsync(string folder, string command, TimeSpan within)
    {
        var log = Path.Combine(folder, $".readme-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{command} > '{log}' 2>&1");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("NeuroMesh__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command}' did not finish within {within}:\n{ReadLog(log)}");
        }

        return (process.ExitCode, ReadLog(log));
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static (int Code, string Output) RunProcess(string program, string[] arguments, string folder)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [GeneratedRegex(@"spike-train hash\s+([0-9a-f]{64})")]
    private static partial Regex HashLine();

    [GeneratedRegex(@"\(run ([^)\s]+)\)")]
    private static partial Regex RunIdLine();
}

/// <summary>The README test builds a copy of the repository: it runs alone, so it neither slows nor is slowed by the cluster tests' timeouts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCommandCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "README commands";
}
