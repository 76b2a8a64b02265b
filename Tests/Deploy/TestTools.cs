using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace NeuroMesh.Tests.Deploy;

/// <summary>
/// External programs the deployment tests run (prometheus, docker-compose, yamllint, helm): test.sh installs them when
/// missing and exports their paths. A tool named in its variable or found on PATH is used; under CI a missing tool is a
/// failure, elsewhere the test is skipped with the reason.
/// </summary>
internal static class TestTools
{
    public static string Find(string variable, string program)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value) && File.Exists(value))
        {
            return value;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{program} is missing under CI=true ({variable} is not set and it is not on PATH); ./test.sh installs it.");
        }

        Skip.If(true, $"{program} is missing: run ./test.sh (it installs it and sets {variable})");
        return string.Empty;
    }

    /// <summary>Runs <paramref name="program"/> to completion and returns its exit code and its stdout and stderr together.</summary>
    public static (int Code, string Output) Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? within = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(within ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>
    /// Runs a Prometheus instant query every half second until its result (the <c>data.result</c> array) satisfies
    /// <paramref name="done"/>, and returns it; fails after 60 s with the last answer, or as soon as <paramref name="server"/>
    /// (a Prometheus the test started, whose output is in <paramref name="log"/>) exits.
    /// </summary>
    public static async Task<JsonElement> QueryPrometheusUntilAsync(HttpClient http, string query, Func<JsonElement, bool> done, string expectation, Process? server = null, StringBuilder? log = null)
    {
        try
        {
            var answer = await Eventually.Until(
                async () =>
                {
                    Assert.False(server is { HasExited: true }, $"prometheus exited with {(server is { HasExited: true } ? server.ExitCode : 0)}:\n{log}");
                    try
                    {
                        return await http.GetStringAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative));
                    }
                    catch (HttpRequestException e)
                    {
                        return $"not listening yet ({e.Message})";
                    }
                },
                last => Result(last) is { } result && done(result),
                $"Prometheus {expectation} ('{query}')",
                TimeSpan.FromSeconds(60));
            return Result(answer)!.Value;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{log}", e);
        }
    }

    /// <summary>The <c>data.result</c> array of a successful query's answer; null for anything else.</summary>
    private static JsonElement? Result(string answer)
    {
        if (!answer.StartsWith('{'))
        {
            return null;
        }

        using var json = JsonDocument.Parse(answer);
        return json.RootElement.GetProperty("status").GetString() == "success" ? json.RootElement.GetProperty("data").GetProperty("result").Clone() : null;
    }
}
