using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Silo.Commands;

/// <summary>
/// <c>run SPEC.json [--threads N] [--json PATH]</c>: builds the network a spec describes, runs it for the spec's
/// duration in lockstep and prints the run summary. It runs in this process on the CPU engine; the silo-cluster work
/// moves it onto grains and silos.
/// </summary>
internal static class RunCommand
{
    public const string Usage = "usage: dotnet run -c Release --project Silo -- run SPEC.json [--threads N] [--json PATH]";

    public static int Execute(ReadOnlySpan<string> args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var specPath, out var threads, out var jsonPath, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        NetworkSpec spec;
        try
        {
            spec = NetworkSpec.Load(specPath);
        }
        catch (NetworkSpecException e)
        {
            error.WriteLine($"{specPath} is not a valid network spec:");
            foreach (var specError in e.Errors)
            {
                error.WriteLine($"  {specError.Path}: {specError.Message}");
            }

            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot read {specPath}: {e.Message}");
            return 2;
        }

        var build = Stopwatch.StartNew();
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = threads });
        build.Stop();
        var result = engine.Run(spec.TotalTicks);
        var summary = new RunSummary(
            Path.GetFileName(specPath),
            engine.NeuronCount,
            engine.SynapseCount,
            result.Ticks,
            spec.Dt,
            result.Spikes.Length,
            result.MeanRateHz(),
            result.WallTime.TotalSeconds,
            build.Elapsed.TotalSeconds,
            result.WallTime.TotalSeconds / (result.Ticks * spec.Dt / 1000.0),
            engine.Threads,
            result.SpikeTrainHash);
        summary.Print(output);
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            output.WriteLine($"wrote {jsonPath}");
        }

        return 0;
    }

    private static bool TryParse(ReadOnlySpan<string> args, out string specPath, out int threads, out string? jsonPath, out string problem)
    {
        specPath = string.Empty;
        threads = 0;
        jsonPath = null;
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json" when i + 1 < args.Length:
                    jsonPath = args[++i];
                    break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out threads):
                    i++;
                    break;
                case "--json" or "--threads":
                    problem = $"{args[i]} needs a value";
                    return false;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown option '{option}'";
                    return false;
                default:
                    if (specPath.Length > 0)
                    {
                        problem = $"one spec at a time (got '{specPath}' and '{args[i]}')";
                        return false;
                    }

                    specPath = args[i];
                    break;
            }
        }

        if (specPath.Length == 0)
        {
            problem = "run needs a spec file, for example examples/cuba.json";
            return false;
        }

        return true;
    }
}
