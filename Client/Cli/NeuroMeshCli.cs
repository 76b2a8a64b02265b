using System.CommandLine;
using Microsoft.Extensions.Options;
using NeuroMesh.Cli.Commands;
using NeuroMesh.Client;
using NeuroMesh.Hosting;
using NeuroMesh.Network;

namespace NeuroMesh.Cli;

/// <summary>The neuromesh command line: parses, connects, runs one command and maps its outcome to an exit code.</summary>
internal static class NeuroMeshCli
{
    private static readonly Option<string[]> Gateways = new("--gateway", "-g")
    {
        Description = "A gateway as host:port (IP address); repeat for several. Default: 127.0.0.1:30000, the local silo node.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The client's own defaults, which the connection options show and fall back to.</summary>
    private static readonly NeuroMeshClientOptions Defaults = new();

    private static readonly Option<string> ClusterId = new("--cluster-id") { Description = "The cluster id the silos run with.", DefaultValueFactory = _ => Defaults.ClusterId, Recursive = true };

    private static readonly Option<string> ServiceId = new("--service-id") { Description = "The service id the silos run with.", DefaultValueFactory = _ => Defaults.ServiceId, Recursive = true };

    private static readonly Option<int> ConnectAttempts = new("--connect-attempts") { Description = "How many times to try the gateways before giving up.", DefaultValueFactory = _ => Defaults.ConnectAttempts, Recursive = true };

    private static readonly Option<int> RetryDelay = new("--retry-delay-ms") { Description = "Milliseconds between two connection attempts.", DefaultValueFactory = _ => Defaults.ConnectRetryDelayMs, Recursive = true };

    /// <summary>Each client setting the CLI sets, as its problem messages name it, and the option that sets it.</summary>
    private static readonly (string Setting, string Option)[] SettingOptions =
    [
        ($"{NeuroMeshClientOptions.SectionName}:{nameof(NeuroMeshClientOptions.Gateways)}:", $"{Gateways.Name} #"),
        ($"{NeuroMeshClientOptions.SectionName}:{nameof(NeuroMeshClientOptions.ClusterId)}", ClusterId.Name),
        ($"{NeuroMeshClientOptions.SectionName}:{nameof(NeuroMeshClientOptions.ServiceId)}", ServiceId.Name),
        ($"{NeuroMeshClientOptions.SectionName}:{nameof(NeuroMeshClientOptions.ConnectAttempts)}", ConnectAttempts.Name),
        ($"{NeuroMeshClientOptions.SectionName}:{nameof(NeuroMeshClientOptions.ConnectRetryDelayMs)}", RetryDelay.Name),
    ];

    private static readonly Option<bool> Json = new("--json") { Description = "Machine-readable output: one JSON document (tap: one JSON object per line).", Recursive = true };

    /// <summary>Runs the command line <paramref name="args"/> and returns its exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("neuromesh: drive a NeuroMesh cluster (deploy and run networks, inject, tap and export spikes, find agents).");
        foreach (var option in new Option[] { Gateways, ClusterId, ServiceId, ConnectAttempts, RetryDelay, Json })
        {
            root.Options.Add(option);
        }

        var handler = new Handler(output, error, interactive, cancellationToken);
        root.Subcommands.Add(DeployCommand.Create(handler));
        root.Subcommands.Add(RunCommand.Create(handler));
        root.Subcommands.Add(InjectCommand.Create(handler));
        root.Subcommands.Add(RewardCommand.Create(handler));
        root.Subcommands.Add(TapCommand.Create(handler));
        root.Subcommands.Add(StatsCommand.Create(handler));
        root.Subcommands.Add(AgentsCommand.Create(handler));
        root.Subcommands.Add(CheckpointCommand.Create(handler));
        root.Subcommands.Add(ReplayCommand.Create(handler));
        root.Subcommands.Add(RescaleCommand.Create(handler));
        root.Subcommands.Add(ForkCommand.Create(handler));
        root.Subcommands.Add(SnapshotCommand.Create(handler));
        root.Subcommands.Add(ExportCommand.Create(handler));
        root.Subcommands.Add(RasterCommand.Create(handler));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"neuromesh: error: {problem.Message}");
            }

            await error.WriteLineAsync("Try 'neuromesh --help'.");
            return ExitCodes.BadInput;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    /// <summary>Runs a command's body with its context, and turns what it throws into a message and an exit code.</summary>
    internal sealed class Handler(TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        public void Bind(Command command, Func<CliContext, ParseResult, Task<int>> body)
            => command.SetAction((parsed, token) => RunAsync(parsed, body, token));

        private async Task<int> RunAsync(ParseResult parsed, Func<CliContext, ParseResult, Task<int>> body, CancellationToken token)
        {
            var json = parsed.GetValue(Json);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, token);
            try
            {
                var options = new NeuroMeshClientOptions
                {
                    Gateways = [.. parsed.GetValue(Gateways) ?? []],
                    ClusterId = parsed.GetValue(ClusterId)!,
                    ServiceId = parsed.GetValue(ServiceId)!,
                    ConnectAttempts = parsed.GetValue(ConnectAttempts),
                    ConnectRetryDelayMs = parsed.GetValue(RetryDelay),
                };
                if (options.Problem() is { } problem)
                {
                    throw CliException.BadInput(SettingOptions.Aggregate(problem, (message, map) => message.Replace(map.Setting, map.Option, StringComparison.Ordinal)));
                }

                return await body(new CliContext(output, error, json, interactive, options, linked.Token), parsed);
            }
            catch (Exception e)
            {
                var (code, message) = Classify(e, linked.IsCancellationRequested);
                await error.WriteLineAsync($"neuromesh: error: {message}");
                if (json)
                {
                    await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new { error = new { exitCode = code, message } }, CliContext.JsonOptions));
                }

                return code;
            }
        }

        private static (int Code, string Message) Classify(Exception e, bool cancelled) => e switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            NeuroMeshConnectionException => (ExitCodes.Unreachable, e.Message),
            NetworkSpecException spec => (ExitCodes.BadInput, $"the spec is invalid: {string.Join("; ", spec.Errors.Select(x => $"{x.Path}: {x.Message}"))}"),
            OptionsValidationException => (ExitCodes.BadInput, e.Message),
            OperationCanceledException when cancelled => (ExitCodes.Cancelled, "interrupted"),
            KeyNotFoundException => (ExitCodes.NotFound, e.Message),
            ArgumentException or FormatException => (ExitCodes.BadInput, e.Message),
            IOException or UnauthorizedAccessException => (ExitCodes.BadInput, e.Message),
            InvalidOperationException => (ExitCodes.Failed, e.Message),
            _ => (ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}"),
        };
    }
}
