using System.CommandLine;
using NeuroMesh.Client;
using NeuroMesh.Simulation;

namespace NeuroMesh.Cli.Commands;

/// <summary>The run and the options that pick its spikes (export, raster), checked against the run before anything is read.</summary>
internal sealed class SpikeSelection
{
    public Argument<string> Run { get; } = new("run") { Description = "The run id." };

    public Option<long?> From { get; } = new("--from-tick") { Description = "First tick (default 0)." };

    public Option<long?> To { get; } = new("--to-tick") { Description = "One past the last tick (default: the run's tick)." };

    public Option<string?> Neurons { get; } = new("--neurons", "-n") { Description = "Neurons: ids and inclusive ranges, such as 0-99,200 (default: all)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Run);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Neurons);
    }

    /// <summary>
    /// Connects, checks the selection against the run, reads the selected spikes and hands them to <paramref name="write"/>
    /// with the file at <paramref name="path"/> created for it; returns what was selected and read.
    /// </summary>
    public async Task<(Selected Selected, List<long> Ticks, List<int> Neurons)> WriteAsync(
        CliContext ctx, ParseResult parsed, string path, Action<Stream, Selected, List<long>, List<int>> write)
    {
        await using var client = await ctx.ConnectAsync();
        var handle = client.Run(parsed.GetValue(Run)!);
        var selected = await ResolveAsync(parsed, handle);
        var (ticks, neurons) = await selected.ReadAsync(handle, ctx.Cancellation);
        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            write(stream, selected, ticks, neurons);
        }

        return (selected, ticks, neurons);
    }

    /// <summary>The ticks [From, To), the neurons and the run's dt; a range outside the run is bad input naming it.</summary>
    private async Task<Selected> ResolveAsync(ParseResult parsed, SimulationRun run)
    {
        var set = parsed.GetValue(Neurons) is { } text ? NeuronSet.Parse(text) : NeuronSet.All;
        var status = await CliContext.ExistingRunAsync(run);
        var from = parsed.GetValue(From) ?? 0;
        var to = parsed.GetValue(To) ?? status.Tick;
        if (from < 0 || to <= from)
        {
            throw CliException.BadInput($"tick range [{from}, {to}) is empty or negative (--from-tick {from}, --to-tick {to}).");
        }

        if (to > status.Tick)
        {
            throw CliException.BadInput($"tick range [{from}, {to}) goes past run '{status.RunId}''s tick {status.Tick}: it has not simulated that far (run it first, or lower --to-tick).");
        }

        if (set.Ranges[0].Lo >= status.Neurons)
        {
            throw CliException.BadInput($"neurons {set} are outside run '{status.RunId}''s network of {status.Neurons} neuron(s) (0-{status.Neurons - 1}).");
        }

        var lo = set.Ranges[0].Lo;
        var hi = (int)Math.Min(set.Ranges[^1].Hi, status.Neurons);
        return new Selected(status, from, to, set, lo, hi);
    }

    /// <summary>What was selected: ticks [From, To) and neurons in <see cref="Set"/> within [Lo, Hi).</summary>
    public sealed record Selected(RunStatus Status, long From, long To, NeuronSet Set, int Lo, int Hi)
    {
        /// <summary>Reads the selected spikes page by page; a recording cut short by the silo's cap is an error naming where.</summary>
        public async Task<(List<long> Ticks, List<int> Neurons)> ReadAsync(SimulationRun run, CancellationToken cancellationToken)
        {
            var (ticks, neurons) = (new List<long>(), new List<int>());
            var query = new SpikeQuery { FromTick = From, ToTick = To, FirstNeuron = Lo, EndNeuron = Hi, Limit = SpikeQuery.MaxLimit };
            await foreach (var page in run.ReadSpikes(query, cancellationToken))
            {
                if (page.RecordedToTick < To)
                {
                    throw new CliException(ExitCodes.Failed, $"run '{run.Id}' has its spikes recorded only to tick {page.RecordedToTick}{(page.Truncated ? " (the silo's recording cap was reached)" : string.Empty)}; ask for --to-tick {page.RecordedToTick} or less.");
                }

                Set.Filter(page.Ticks, page.Neurons, ticks, neurons);
            }

            return (ticks, neurons);
        }
    }
}
