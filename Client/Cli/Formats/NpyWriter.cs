using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NeuroMesh.Cli.Formats;

/// <summary>
/// Writes a NumPy <c>.npy</c> file (format version 1.0): the magic <c>\x93NUMPY</c>, version bytes 1 and 0, a little-endian
/// uint16 header length, an ASCII header (a Python dict literal with descr, fortran_order and shape, padded with spaces and
/// ended by a newline so that the data starts at a multiple of 64 bytes), then the data in C order.
/// </summary>
internal static class NpyWriter
{
    /// <summary>An (n, 2) array of little-endian int64: column 0 the tick, column 1 the neuron (<c>numpy.load</c> reads it).</summary>
    public static void WriteSpikes(Stream stream, IReadOnlyList<long> ticks, IReadOnlyList<int> neurons)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (ticks.Count != neurons.Count)
        {
            throw new ArgumentException($"{ticks.Count} ticks but {neurons.Count} neurons.", nameof(neurons));
        }

        var header = Header("<i8", ticks.Count, 2);
        stream.Write(header);
        var row = new byte[16];
        for (var i = 0; i < ticks.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(row, ticks[i]);
            BinaryPrimitives.WriteInt64LittleEndian(row.AsSpan(8), neurons[i]);
            stream.Write(row);
        }
    }

    /// <summary>Magic, version, header length and the padded header for a C-order array of <paramref name="descr"/> and shape (rows, columns).</summary>
    public static byte[] Header(string descr, long rows, int columns)
    {
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        const int Preamble = 10; // magic (6) + version (2) + header length (2)
        var total = (Preamble + dict.Length + 1 + 63) / 64 * 64;
        var text = dict.PadRight(total - Preamble - 1) + "\n";
        var bytes = new byte[total];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, bytes.AsSpan(Preamble));
        return bytes;
    }
}
