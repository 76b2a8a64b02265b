using System.CommandLine;
using NeuroMesh.Cli.Formats;

namespace NeuroMesh.Cli.Commands;

internal static class RasterCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "The PNG file to write.", Required = true };
        var width = new Option<int>("--width") { Description = "Image width in pixels (time), 16 to 8192.", DefaultValueFactory = _ => 1000 };
        var height = new Option<int>("--height") { Description = "Image height in pixels (neurons, the lowest at the bottom), 16 to 8192.", DefaultValueFactory = _ => 500 };
        var selection = new SpikeSelection();
        var command = new Command("raster", "Draw a PNG raster plot of a run's spikes: time to the right, neuron id upwards, one black mark per spike.") { output, width, height };
        selection.AddTo(command);
        handler.Bind(command, async (ctx, parsed) =>
        {
            var (w, h) = (parsed.GetValue(width), parsed.GetValue(height));
            if (w is < 16 or > 8192 || h is < 16 or > 8192)
            {
                throw CliException.BadInput($"--width and --height must be in [16, 8192] (got {w}×{h}).");
            }

            var path = parsed.GetValue(output)!.FullName;
            var (selected, ticks, _) = await selection.WriteAsync(ctx, parsed, path, (stream, read, readTicks, readNeurons) => PngWriter.Write(stream, w, h, Draw(w, h, read, readTicks, readNeurons)));
            ctx.Emit(
                new { path, width = w, height = h, spikes = ticks.Count, fromTick = selected.From, toTick = selected.To, firstNeuron = selected.Lo, endNeuron = selected.Hi },
                o => o.WriteLine($"wrote            {path}: {w}×{h} raster of {CliContext.Num(ticks.Count)} spikes of run {selected.Status.RunId}, ticks [{selected.From}, {selected.To}) left to right, neurons [{selected.Lo}, {selected.Hi}) bottom to top"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// White pixels, and per spike a black mark from x = (tick − from) × w / (to − from) and y = h − 1 − (neuron − lo) × h / (hi − lo),
    /// as wide and tall as one tick and one neuron are (at least one pixel).
    /// </summary>
    internal static byte[] Draw(int w, int h, SpikeSelection.Selected s, List<long> ticks, List<int> neurons)
    {
        var pixels = new byte[w * h * 3];
        Array.Fill(pixels, (byte)255);
        var (span, rows) = (s.To - s.From, (long)s.Hi - s.Lo);
        for (var i = 0; i < ticks.Count; i++)
        {
            var x0 = (int)((ticks[i] - s.From) * w / span);
            var x1 = Math.Max(x0 + 1, (int)((ticks[i] - s.From + 1) * w / span));
            var y0 = h - 1 - (int)((long)(neurons[i] - s.Lo) * h / rows);
            var y1 = Math.Min(y0, h - 1 - (int)(((long)(neurons[i] - s.Lo + 1) * h / rows) - 1));
            for (var y = Math.Max(0, y1); y <= y0; y++)
            {
                pixels.AsSpan(((y * w) + x0) * 3, (Math.Min(x1, w) - x0) * 3).Clear();
            }
        }

        return pixels;
    }
}
