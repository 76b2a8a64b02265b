using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuroMesh.Client;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;

namespace NeuroMesh.Cli;

/// <summary>What every command gets: the writers, the output mode and the way to the cluster.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool json, bool interactive, NeuroMeshClientOptions options, CancellationToken cancellationToken)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public bool Json { get; } = json;

    /// <summary>True when stdout is a terminal (live progress bars), false when it is a file, a pipe or a test's writer.</summary>
    public bool Interactive { get; } = interactive && !json;

    public NeuroMeshClientOptions Options { get; } = options;

    public CancellationToken Cancellation { get; } = cancellationToken;

    public static string Num(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    public Task<NeuroMeshClient> ConnectAsync() => NeuroMeshClient.ConnectAsync(Options, cancellationToken: Cancellation);

    /// <summary>Writes <paramref name="value"/> as JSON with --json, else the text.</summary>
    public void Emit(object value, Action<TextWriter> text)
    {
        if (Json)
        {
            Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
        else
        {
            text(Out);
        }
    }

    /// <summary>The run's status; an id with no spec deployed is "not found" (exit 3).</summary>
    public static async Task<RunStatus> ExistingRunAsync(SimulationRun run)
    {
        var status = await run.Status();
        return status.Phase == RunPhase.Empty
            ? throw CliException.NotFound($"run '{run.Id}' not found: no spec is deployed under that id (see `neuromesh deploy`).")
            : status;
    }

    public static string Describe(RunStatus s)
        => $"{s.RunId}: {s.Phase.ToString().ToLowerInvariant()} at tick {Num(s.Tick)}/{Num(s.TotalTicks)} ({Num(s.Tick * s.DtMs / 1000.0, "0.000")} s of {Num(s.TotalTicks * s.DtMs / 1000.0, "0.000")} s simulated), {Num(s.Spikes)} spikes"
            + (s.Error.Length > 0 ? $"; failed: {s.Error}" : string.Empty);
}
