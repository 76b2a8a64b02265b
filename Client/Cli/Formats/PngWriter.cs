using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace NeuroMesh.Cli.Formats;

/// <summary>
/// Writes an 8-bit RGB PNG: the signature, IHDR, one IDAT holding the zlib-compressed rows (each row a filter byte 0, then
/// its pixels), and IEND; every chunk is length, type, data and the CRC-32 of type and data.
/// </summary>
internal static class PngWriter
{
    /// <summary>The eight signature bytes every PNG starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="rgb"/> (width × height × 3 bytes, rows top to bottom) as a PNG.</summary>
    public static void Write(Stream stream, int width, int height, byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"{rgb.Length} bytes of pixels for {width}×{height} RGB (need {(long)width * height * 3}).", nameof(rgb));
        }

        stream.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: RGB
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(rgb, y * width * 3, width * 3);
            }
        }

        WriteChunk(stream, "IDAT"u8, compressed.ToArray());
        WriteChunk(stream, "IEND"u8, []);
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        stream.Write(word);
    }
}
