using System.Globalization;

namespace NeuroMesh.Cli.Formats;

/// <summary>Spikes as CSV rows <c>tick,time_ms,neuron</c> (what export writes and tap prints), in the invariant culture.</summary>
internal static class SpikeCsv
{
    /// <summary>The header row.</summary>
    public const string Header = "tick,time_ms,neuron";

    /// <summary>A spike's time in ms: tick × dt, rounded to 9 decimals so that 0.1-ms steps print as 0.3, not 0.30000000000000004.</summary>
    public static double TimeMs(long tick, double dt) => Math.Round(tick * dt, 9);

    /// <summary>The row of one spike (no line end).</summary>
    public static string Row(long tick, int neuron, double dt) =>
        string.Create(CultureInfo.InvariantCulture, $"{tick},{TimeMs(tick, dt).ToString("R", CultureInfo.InvariantCulture)},{neuron}");
}
