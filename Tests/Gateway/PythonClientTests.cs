using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NeuroMesh.Tests.Gateway;

/// <summary>examples/python/neuromesh_client.py (standard library only) against a live node.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class PythonClientTests(GatewayNode fixture)
{
    [Fact]
    public async Task The_python_client_deploys_cuba_streams_its_spikes_and_prints_rates_that_account_for_every_spike()
    {
        var script = Path.Combine(Engine.ExamplesDirectory.Root(), "examples", "python", "neuromesh_client.py");
        var start = new ProcessStartInfo(Python())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--url", fixture.Node.Http.ToString(), "--run", "python-cuba", "--duration", "200", "--max-rate", "1000" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NEUROMESH_API_KEY"] = GatewayNode.Key;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cancel.Token);
        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{text}\n{await error}");

        Assert.Contains("deployed cuba as python-cuba: 4000 neurons, 2000 ticks", text, StringComparison.Ordinal);
        var rates = RatesLine().Match(text);
        Assert.True(rates.Success, text);
        // Vogels & Abbott CUBA fires at a few to a few tens of Hz; the printed rates come from the stream's per-population counts
        // (every spike, before sampling).
        Assert.InRange(double.Parse(rates.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.5, 200);
        Assert.InRange(double.Parse(rates.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 0.5, 200);
        var spikes = SpikesLine().Match(text);
        Assert.True(spikes.Success, text);
        Assert.Equal(spikes.Groups[1].Value, spikes.Groups[2].Value);
        Assert.Equal("0", spikes.Groups[3].Value);

        // The rates count every spike (the stream's per-population counts, not its sample): 3200 E and 800 I over 0.2 s,
        // printed to 0.01 Hz, so they give the run's spike count back to within 5.
        var e = double.Parse(rates.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var i = double.Parse(rates.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var total = long.Parse(spikes.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs(total - ((3200 * e * 0.2) + (800 * i * 0.2))), 0, 5);
    }

    internal static string Python()
        => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    [GeneratedRegex(@"^rates: E ([0-9.]+) Hz, I ([0-9.]+) Hz$", RegexOptions.Multiline)]
    private static partial Regex RatesLine();

    [GeneratedRegex(@"^spikes: (\d+) in the stream \(.*\), (\d+) in the run, (\d+) ticks missed$", RegexOptions.Multiline)]
    internal static partial Regex SpikesLine();
}
