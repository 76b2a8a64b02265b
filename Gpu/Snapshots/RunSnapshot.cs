using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Engine.Snapshots;

/// <summary>
/// A run's engine state at a checkpoint, as one portable file: the magic <c>NMSNAP</c> and a format version, a JSON
/// header (<see cref="SnapshotHeader"/>), the spec, one compressed <see cref="EngineState"/> section per shard that wrote
/// it, and a SHA-256 of everything before it. The same bytes go to the snapshot store and to an exported file; see
/// docs/snapshots.md.
/// </summary>
public sealed class RunSnapshot
{
    /// <summary>The format this build writes, and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "NMSNAP\r\n"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private RunSnapshot(SnapshotHeader header, string specJson, byte[][] sections, string sha256)
        => (Header, SpecJson, Sections, Sha256) = (header, specJson, sections, sha256);

    /// <summary>The header.</summary>
    public SnapshotHeader Header { get; }

    /// <summary>The run's spec (canonical JSON).</summary>
    public string SpecJson { get; }

    /// <summary>The compressed sections, in neuron order.</summary>
    public IReadOnlyList<byte[]> Sections { get; }

    /// <summary>The SHA-256 of the file (lowercase hex): its last 32 bytes.</summary>
    public string Sha256 { get; }

    /// <summary>Builds the file of a run's state from its shards' sections (each from <see cref="EngineStateCodec.Encode"/>).</summary>
    /// <returns>The snapshot and its bytes.</returns>
    public static (RunSnapshot Snapshot, byte[] Bytes) Build(string runId, string specJson, string specHash, long tick, SpikeTrainHash hash,
        SnapshotCodec codec, IReadOnlyList<(int Lo, int Hi, byte[] Bytes)> sections)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(sections);
        var header = new SnapshotHeader
        {
            RunId = runId,
            SpecHash = specHash,
            Tick = tick,
            Spikes = hash.Count,
            SpikeTrainHash = hash.Current(),
            HashState = Convert.ToBase64String(hash.ExportState()),
            NeuronCount = sections.Count == 0 ? 0 : sections[^1].Hi,
            Codec = codec,
            Sections = [.. sections.Select(s => new SnapshotSection(s.Lo, s.Hi, s.Bytes.Length))],
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        return Write(header, specJson, [.. sections.Select(s => s.Bytes)]);
    }

    /// <summary>Reads a snapshot file, checking its magic, its version and its SHA-256 first.</summary>
    /// <exception cref="SnapshotFormatException">It is not a snapshot file, is truncated or tampered with, or is of a newer format.</exception>
    public static RunSnapshot Parse(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < Magic.Length + 4 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new SnapshotFormatException("not a NeuroMesh snapshot file (it does not start with the NMSNAP magic)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(Magic.Length));
        if (version > FormatVersion || version < 1)
        {
            throw new SnapshotFormatException($"the snapshot is of format version {version}; this build reads versions 1 to {FormatVersion} (upgrade NeuroMesh to read it)");
        }

        if (file.Length < Magic.Length + 4 + 32)
        {
            throw new SnapshotFormatException($"the snapshot is truncated ({file.Length} bytes)");
        }

        var body = file.AsSpan(0, file.Length - 32);
        var expected = file.AsSpan(file.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(expected))
        {
            throw new SnapshotFormatException($"the snapshot's SHA-256 does not match its contents ({file.Length} bytes): it was truncated or altered");
        }

        try
        {
            var at = Magic.Length + 4;
            var header = JsonSerializer.Deserialize<SnapshotHeader>(Block(file, ref at), Json)
                ?? throw new SnapshotFormatException("the snapshot has an empty header");
            var spec = Encoding.UTF8.GetString(Block(file, ref at));
            var sections = new byte[header.Sections.Length][];
            for (var s = 0; s < sections.Length; s++)
            {
                sections[s] = Block(file, ref at).ToArray();
                if (sections[s].Length != header.Sections[s].Bytes)
                {
                    throw new SnapshotFormatException($"section {s} holds {sections[s].Length} bytes, the header says {header.Sections[s].Bytes}");
                }
            }

            if (at != file.Length - 32)
            {
                throw new SnapshotFormatException($"the snapshot has {file.Length - 32 - at} byte(s) after its last section");
            }

            return new RunSnapshot(header, spec, sections, Convert.ToHexStringLower(expected));
        }
        catch (Exception e) when (e is JsonException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new SnapshotFormatException($"the snapshot's header or layout does not parse: {e.Message}", e);
        }
    }

    /// <summary>The same state as a file of another run (for a fork or an import): a new header, the same sections.</summary>
    public (RunSnapshot Snapshot, byte[] Bytes) WithRun(string runId, string specJson, string specHash)
        => Write(Header with { RunId = runId, SpecHash = specHash }, specJson, [.. Sections]);

    /// <summary>The whole network's state: every section decoded and joined.</summary>
    /// <exception cref="SnapshotFormatException">A section does not decode, or they do not cover the network at the header's tick.</exception>
    public EngineState DecodeState()
    {
        var parts = Sections.Select(s => EngineStateCodec.Decode(s, Header.Codec)).ToArray();
        EngineState state;
        try
        {
            state = EngineState.Concat(parts);
        }
        catch (ArgumentException e)
        {
            throw new SnapshotFormatException($"the snapshot's sections do not join: {e.Message}", e);
        }

        if (!state.IsWhole || state.NeuronCount != Header.NeuronCount || state.Tick != Header.Tick)
        {
            throw new SnapshotFormatException(
                $"the snapshot's sections hold neurons [{state.Lo}, {state.Hi}) of {state.NeuronCount} at tick {state.Tick}; the header says {Header.NeuronCount} neurons at tick {Header.Tick}");
        }

        return state;
    }

    /// <summary>The spike-train hash of ticks 0 .. Tick − 1, ready to carry on.</summary>
    /// <exception cref="SnapshotFormatException">The hash state does not agree with the header's spike count and hash.</exception>
    public SpikeTrainHash ResumeHash()
    {
        try
        {
            var hash = SpikeTrainHash.Resume(Header.Spikes, Convert.FromBase64String(Header.HashState));
            if (hash.Current() != Header.SpikeTrainHash)
            {
                throw new SnapshotFormatException($"the snapshot's hash state gives {hash.Current()}, its header says {Header.SpikeTrainHash}");
            }

            return hash;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new SnapshotFormatException($"the snapshot's hash state is unusable: {e.Message}", e);
        }
    }

    private static (RunSnapshot, byte[]) Write(SnapshotHeader header, string specJson, byte[][] sections)
    {
        using var file = new MemoryStream();
        file.Write(Magic);
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(word, FormatVersion);
        file.Write(word[..4]);
        WriteBlock(file, JsonSerializer.SerializeToUtf8Bytes(header, Json));
        WriteBlock(file, Encoding.UTF8.GetBytes(specJson));
        foreach (var section in sections)
        {
            WriteBlock(file, section);
        }

        file.Position = 0;
        var sha = SHA256.HashData(file);
        file.Write(sha);
        return (new RunSnapshot(header, specJson, sections, Convert.ToHexStringLower(sha)), file.ToArray());
    }

    private static void WriteBlock(Stream file, ReadOnlySpan<byte> block)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, block.Length);
        file.Write(length);
        file.Write(block);
    }

    private static ReadOnlySpan<byte> Block(byte[] file, ref int at)
    {
        var length = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(at, 8));
        if (length < 0 || length > file.Length - 32 - at - 8)
        {
            throw new SnapshotFormatException($"a block of the snapshot claims {length} bytes at offset {at}, past its end");
        }

        var block = file.AsSpan(at + 8, (int)length);
        at += 8 + (int)length;
        return block;
    }
}
