using System.IO.Compression;
using System.Runtime.InteropServices;

namespace NeuroMesh.Engine.Snapshots;

/// <summary>
/// An <see cref="EngineState"/> as bytes: eight little-endian int64 header fields (tick, neurons, fixed-point shift, lo,
/// hi, slots, rules, plastic synapses), then the arrays in declaration order as raw little-endian values, the whole
/// compressed with the section's <see cref="SnapshotCodec"/>.
/// </summary>
public static class EngineStateCodec
{
    private const int HeaderFields = 8;

    /// <summary>The state, encoded and compressed.</summary>
    public static byte[] Encode(EngineState state, SnapshotCodec codec)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        using var raw = new MemoryStream();
        using (var output = Compressor(raw, codec))
        {
            Span<long> header = [state.Tick, state.NeuronCount, state.FixedShift, state.Lo, state.Hi, state.Slots, state.Rules.Length, state.PlasticSource.Length];
            output.Write(MemoryMarshal.AsBytes(header));
            Write<float>(output, state.V);
            Write<float>(output, state.Ge);
            Write<float>(output, state.Gi);
            Write<int>(output, state.RefUntil);
            foreach (var ring in state.Rings)
            {
                Write<int>(output, ring);
            }

            foreach (var rule in state.Rules)
            {
                Write<float>(output, rule.PreX);
                Write<int>(output, rule.PreT);
                Write<float>(output, rule.PostY);
                Write<int>(output, rule.PostT);
            }

            Write<int>(output, state.PlasticPerTarget);
            Write<int>(output, state.PlasticSource);
            Write<int>(output, state.PlasticWeight);
            Write<float>(output, state.Eligibility);
            Write<int>(output, state.EligibilityTick);
        }

        return raw.ToArray();
    }

    /// <summary>Decompresses and decodes a section that <see cref="Encode"/> wrote.</summary>
    /// <exception cref="SnapshotFormatException">The bytes do not decode to a consistent state.</exception>
    public static EngineState Decode(byte[] section, SnapshotCodec codec)
    {
        ArgumentNullException.ThrowIfNull(section);
        try
        {
            using var input = Decompressor(new MemoryStream(section, writable: false), codec);
            Span<long> h = stackalloc long[HeaderFields];
            input.ReadExactly(MemoryMarshal.AsBytes(h));
            var (n, slots, rules, plastic) = (checked((int)(h[4] - h[3])), checked((int)h[5]), checked((int)h[6]), checked((int)h[7]));
            if (n < 0 || slots < 1 || rules < 0 || plastic < 0 || (long)slots * n > int.MaxValue || h[1] < 0 || h[1] > int.MaxValue)
            {
                throw new SnapshotFormatException($"an engine-state section with an impossible header (neurons [{h[3]}, {h[4]}), {slots} slots, {rules} rules, {plastic} plastic synapses)");
            }

            var state = new EngineState
            {
                Tick = h[0],
                NeuronCount = (int)h[1],
                FixedShift = (int)h[2],
                Lo = (int)h[3],
                Hi = (int)h[4],
                Slots = slots,
                V = Read<float>(input, n),
                Ge = Read<float>(input, n),
                Gi = Read<float>(input, n),
                RefUntil = Read<int>(input, n),
                Rings = [Read<int>(input, slots * n), Read<int>(input, slots * n), Read<int>(input, slots * n)],
                Rules = [.. Enumerable.Range(0, rules).Select(_ => new RuleTraces
                {
                    PreX = Read<float>(input, n), PreT = Read<int>(input, n), PostY = Read<float>(input, n), PostT = Read<int>(input, n),
                })],
                PlasticPerTarget = Read<int>(input, n),
                PlasticSource = Read<int>(input, plastic),
                PlasticWeight = Read<int>(input, plastic),
                Eligibility = Read<float>(input, plastic),
                EligibilityTick = Read<int>(input, plastic),
            };
            if (input.ReadByte() >= 0)
            {
                throw new SnapshotFormatException("an engine-state section with bytes after its last array");
            }

            state.Validate();
            return state;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or OverflowException or IOException)
        {
            throw new SnapshotFormatException($"an engine-state section does not decode: {e.Message}", e);
        }
    }

    private static Stream Compressor(Stream raw, SnapshotCodec codec) => codec switch
    {
        SnapshotCodec.None => raw, // disposed with the writer; MemoryStream.ToArray still works after that
        SnapshotCodec.Deflate => new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true),
        SnapshotCodec.Brotli => new BrotliStream(raw, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown snapshot codec"),
    };

    private static Stream Decompressor(Stream raw, SnapshotCodec codec) => codec switch
    {
        SnapshotCodec.None => raw,
        SnapshotCodec.Deflate => new ZLibStream(raw, CompressionMode.Decompress),
        SnapshotCodec.Brotli => new BrotliStream(raw, CompressionMode.Decompress),
        _ => throw new SnapshotFormatException($"unknown snapshot codec {(int)codec}"),
    };

    private static void Write<T>(Stream output, T[] values)
        where T : unmanaged
        => output.Write(MemoryMarshal.AsBytes(values.AsSpan()));

    private static T[] Read<T>(Stream input, int count)
        where T : unmanaged
    {
        var values = new T[count];
        input.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
