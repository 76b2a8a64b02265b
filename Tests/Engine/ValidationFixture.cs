using System.Text.Json;
using NeuroMesh.Engine;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>
/// One network's entry of <c>Tests/Fixtures/brian2/validate_stats.json</c>: the spec (an example file with the short
/// duration and, where the entry has them, the scaled population sizes applied; in-degrees are kept), the analysis
/// window and Brian2's statistics per population, averaged over the seeds.
/// </summary>
internal sealed record ValidationFixture(NetworkSpec Spec, IReadOnlyList<ulong> Seeds, double WarmupMs, double BinMs,
    IReadOnlyDictionary<string, PopulationStatistics> Mean)
{
    public static ValidationFixture Load(string network)
    {
        var root = ExamplesDirectory.Root();
        var path = Path.Combine(root, "Tests", "Fixtures", "brian2", "validate_stats.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var entry = doc.RootElement.GetProperty("networks").GetProperty(network);
        var spec = NetworkSpec.Load(Path.Combine(root, entry.GetProperty("spec").GetString()!));
        spec = spec with { Duration = entry.GetProperty("duration_ms").GetDouble() };
        if (entry.TryGetProperty("sizes", out var sizes) && sizes.ValueKind == JsonValueKind.Object)
        {
            spec = spec with
            {
                Populations = [.. spec.Populations.Select(p => p with { Size = sizes.GetProperty(p.Name).GetInt32() })],
            };
        }

        var seeds = entry.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetUInt64()).ToList();
        var mean = new Dictionary<string, PopulationStatistics>();
        foreach (var p in entry.GetProperty("mean").EnumerateObject())
        {
            mean[p.Name] = new PopulationStatistics(p.Value.GetProperty("rate_hz").GetDouble(),
                p.Value.GetProperty("cv_isi").GetDouble(), p.Value.GetProperty("fraction_firing").GetDouble(),
                p.Value.GetProperty("fano").GetDouble());
        }

        return new ValidationFixture(spec, seeds, entry.GetProperty("warmup_ms").GetDouble(),
            entry.GetProperty("bin_ms").GetDouble(), mean);
    }
}
