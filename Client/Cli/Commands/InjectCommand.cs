using System.CommandLine;
using NeuroMesh.Client;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Cli.Commands;

internal static class InjectCommand
{
    private const int MaxInputs = 100_000;

    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var neurons = new Option<string>("--neurons", "-n") { Description = "Target neurons: ids and inclusive ranges, such as 0-9,42.", Required = true };
        var weight = new Option<double>("--weight", "-w") { Description = "Input added to each target (the spec's synaptic units).", Required = true };
        var tick = new Option<long?>("--tick", "-t") { Description = "The tick whose update the input acts in (default: the run's current tick)." };
        var channel = new Option<string>("--channel") { Description = "excitatory, inhibitory or modulatory (a reward, for neurons that receive R-STDP synapses).", DefaultValueFactory = _ => "excitatory" };
        channel.AcceptOnlyFromAmong("excitatory", "inhibitory", "modulatory");
        var command = new Command("inject", "Schedule external input into neurons of a run (logged with the run, so a replay applies it too).") { run, neurons, weight, tick, channel };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var set = NeuronSet.Parse(parsed.GetValue(neurons)!);
            var total = set.Ranges.Sum(r => (long)r.Hi - r.Lo);
            if (total > MaxInputs)
            {
                throw CliException.BadInput($"--neurons names {total} neurons; one inject takes at most {MaxInputs}.");
            }

            var type = parsed.GetValue(channel) switch
            {
                "inhibitory" => SpikeType.Inhibitory,
                "modulatory" => SpikeType.Modulatory,
                _ => SpikeType.Excitatory,
            };
            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            var status = await CliContext.ExistingRunAsync(handle);
            var at = parsed.GetValue(tick) ?? status.Tick;
            var inputs = set.Ranges.SelectMany(r => Enumerable.Range(r.Lo, r.Hi - r.Lo)).Select(n => new ExternalInput(at, n, parsed.GetValue(weight), type)).ToArray();
            status = await handle.Inject(inputs); // the run checks ticks, neurons and weights, and schedules all or nothing
            ctx.Emit(new { status, inputs = inputs.Length, tick = at, neurons = set.ToString(), weight = parsed.GetValue(weight), channel = type.ToString() }, o =>
                o.WriteLine($"scheduled        {inputs.Length} input(s) of {CliContext.Num(parsed.GetValue(weight), "0.###")} ({type.ToString().ToLowerInvariant()}) at tick {CliContext.Num(at)} into neurons {set} of run {status.RunId}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
