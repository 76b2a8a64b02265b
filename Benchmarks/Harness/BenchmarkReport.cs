using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Benchmarks.Harness;

/// <summary>
/// What one suite run measured: every case and peer in one table, plus named ratios.
/// JSON shape (shared by every suite): <c>{"suite", "machine", "results": [{"case", "impl", "value", "unit"}], "ratios": {name: value}}</c>.
/// </summary>
public sealed class BenchmarkReport(string suite)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // A latency past a histogram's range is +Infinity and an empty one NaN: write them as "Infinity"/"NaN" rather than fail.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The suite name, as typed on the command line.</summary>
    public string Suite { get; } = suite;

    /// <summary>The machine the figures came from.</summary>
    public string Machine { get; } = MachineInfo.Describe();

    /// <summary>Every measured figure, in the order it was measured.</summary>
    public List<BenchmarkResult> Results { get; } = [];

    /// <summary>Named ratios between figures (for example <c>axon_vs_channel_1p1c</c>).</summary>
    public SortedDictionary<string, double> Ratios { get; } = new(StringComparer.Ordinal);

    /// <summary>Records one figure and echoes it so that long runs show progress.</summary>
    public void Add(string @case, string impl, double value, string unit)
    {
        Results.Add(new BenchmarkResult(@case, impl, value, unit));
        Console.Error.WriteLine($"  measured {@case} / {impl}: {Format(value)} {unit}");
    }

    /// <summary>The value recorded for a case and implementation.</summary>
    public double Get(string @case, string impl)
        => Results.First(r => r.Case == @case && r.Impl == impl).Value;

    /// <summary>Prints the one table of the run: every case with its peers, then the ratios.</summary>
    public void PrintTable(TextWriter output)
    {
        var caseWidth = Math.Max(4, Results.Max(r => r.Case.Length));
        var implWidth = Math.Max(4, Results.Max(r => r.Impl.Length));
        output.WriteLine($"suite: {Suite}");
        output.WriteLine($"machine: {Machine}");
        output.WriteLine();
        output.WriteLine($"| {"case".PadRight(caseWidth)} | {"impl".PadRight(implWidth)} | {"value",14} | unit");
        output.WriteLine($"|-{new string('-', caseWidth)}-|-{new string('-', implWidth)}-|-{new string('-', 14)}-|-----");
        foreach (var r in Results)
        {
            output.WriteLine($"| {r.Case.PadRight(caseWidth)} | {r.Impl.PadRight(implWidth)} | {Format(r.Value),14} | {r.Unit}");
        }

        if (Ratios.Count > 0)
        {
            output.WriteLine();
            foreach (var (name, value) in Ratios)
            {
                output.WriteLine($"{name} = {value.ToString("0.###", CultureInfo.InvariantCulture)}");
            }
        }
    }

    /// <summary>Writes the report as JSON.</summary>
    public void WriteJson(string path)
    {
        var dto = new
        {
            suite = Suite,
            machine = Machine,
            results = Results.Select(r => new { @case = r.Case, impl = r.Impl, value = r.Value, unit = r.Unit }),
            ratios = Ratios,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(dto, JsonOptions));
    }

    private static string Format(double value)
        => Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
