using System.CommandLine;
using System.Text;
using NeuroMesh.Cli.Formats;

namespace NeuroMesh.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "The file to write (.csv or .npy).", Required = true };
        var format = new Option<string?>("--format", "-f") { Description = "csv (tick,time_ms,neuron) or npy (an (n, 2) int64 array of tick, neuron); default: from the file's extension." };
        format.AcceptOnlyFromAmong("csv", "npy");
        var selection = new SpikeSelection();
        var command = new Command("export", "Write a run's recorded spikes as CSV or as a NumPy .npy file.") { output, format };
        selection.AddTo(command);
        handler.Bind(command, async (ctx, parsed) =>
        {
            var file = parsed.GetValue(output)!;
            var kind = parsed.GetValue(format) ?? file.Extension.TrimStart('.').ToLowerInvariant();
            if (kind is not ("csv" or "npy"))
            {
                throw CliException.BadInput($"cannot tell the format of '{file.Name}': give --format csv or --format npy, or name the file .csv or .npy.");
            }

            var (selected, ticks, _) = await selection.WriteAsync(ctx, parsed, file.FullName, (stream, read, readTicks, readNeurons) =>
            {
                if (kind == "npy")
                {
                    NpyWriter.WriteSpikes(stream, readTicks, readNeurons);
                }
                else
                {
                    WriteCsv(stream, readTicks, readNeurons, read.Status.DtMs);
                }
            });

            ctx.Emit(
                new { path = file.FullName, format = kind, spikes = ticks.Count, fromTick = selected.From, toTick = selected.To, neurons = selected.Set.ToString(), dtMs = selected.Status.DtMs },
                o => o.WriteLine($"wrote            {file.FullName}: {CliContext.Num(ticks.Count)} spikes of run {selected.Status.RunId}, ticks [{selected.From}, {selected.To}), neurons {selected.Set} ({kind})"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteCsv(Stream stream, List<long> ticks, List<int> neurons, double dt)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(SpikeCsv.Header);
        for (var i = 0; i < ticks.Count; i++)
        {
            writer.WriteLine(SpikeCsv.Row(ticks[i], neurons[i], dt));
        }
    }
}
