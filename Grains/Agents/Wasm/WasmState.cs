using System.Buffers.Binary;
using System.Text;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A WebAssembly behaviour's key-value state, held by the host so that it survives traps, restarts and replays. Every
/// <c>state_put</c> becomes one delta in the neuron's log (tag 1: key, value); every <see cref="CompactEvery"/>th put
/// records the whole state instead (tag 2), which replaces the deltas before it.
/// </summary>
internal sealed class WasmState(int maxBytes)
{
    /// <summary>Puts between two whole-state deltas.</summary>
    public const int CompactEvery = 64;

    private const byte PutTag = 1;
    private const byte WholeTag = 2;

    // Keys are bytes; Latin-1 maps each byte to one char and back, so a string key loses nothing.
    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private int _bytes;
    private int _putsSinceWhole;

    public int Bytes => _bytes;

    public int Count => _entries.Count;

    public byte[]? Get(ReadOnlySpan<byte> key) => _entries.TryGetValue(Encoding.Latin1.GetString(key), out var value) ? value : null;

    /// <summary>Stores a value and records the delta through <paramref name="neuron"/>; false (nothing changed) when over budget or refused by the log's backlog.</summary>
    public bool Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, NeuronHandle neuron)
    {
        var name = Encoding.Latin1.GetString(key);
        var old = _entries.GetValueOrDefault(name);
        var bytes = _bytes - (old is null ? 0 : old.Length + key.Length) + key.Length + value.Length;
        if (bytes > maxBytes)
        {
            return false;
        }

        var copy = value.ToArray();
        _entries[name] = copy;
        var whole = _putsSinceWhole + 1 >= CompactEvery;
        var recorded = whole ? neuron.RecordState(EncodeWhole(), replacesEarlier: true) : neuron.RecordState(EncodePut(key, value));
        if (!recorded)
        {
            if (old is null)
            {
                _entries.Remove(name);
            }
            else
            {
                _entries[name] = old;
            }

            return false;
        }

        _bytes = bytes;
        _putsSinceWhole = whole ? 0 : _putsSinceWhole + 1;
        return true;
    }

    /// <summary>Applies one logged delta.</summary>
    /// <exception cref="InvalidOperationException">The delta is not one this state wrote.</exception>
    public void Restore(ReadOnlySpan<byte> delta)
    {
        if (delta.IsEmpty)
        {
            throw Malformed("an empty delta");
        }

        var rest = delta[1..];
        switch (delta[0])
        {
            case PutTag:
                ReadEntry(ref rest);
                _putsSinceWhole++;
                break;
            case WholeTag:
                _entries.Clear();
                _bytes = 0;
                _putsSinceWhole = 0;
                if (rest.Length < 4)
                {
                    throw Malformed("a whole-state delta without its count");
                }

                var count = BinaryPrimitives.ReadInt32LittleEndian(rest);
                rest = rest[4..];
                for (var i = 0; i < count; i++)
                {
                    ReadEntry(ref rest);
                }

                break;
            default:
                throw Malformed($"tag {delta[0]}");
        }

        if (!rest.IsEmpty)
        {
            throw Malformed($"{rest.Length} bytes after its entries");
        }
    }

    private static InvalidOperationException Malformed(string what)
        => new($"A WebAssembly behaviour's state delta is malformed ({what}); it was not written by this host's state_put.");

    private static void WriteEntry(Span<byte> target, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)key.Length);
        key.CopyTo(target[2..]);
        BinaryPrimitives.WriteInt32LittleEndian(target[(2 + key.Length)..], value.Length);
        value.CopyTo(target[(6 + key.Length)..]);
    }

    private static byte[] EncodePut(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var delta = new byte[1 + 6 + key.Length + value.Length];
        delta[0] = PutTag;
        WriteEntry(delta.AsSpan(1), key, value);
        return delta;
    }

    private byte[] EncodeWhole()
    {
        var size = 5 + _entries.Sum(e => 6 + e.Key.Length + e.Value.Length);
        var delta = new byte[size];
        delta[0] = WholeTag;
        BinaryPrimitives.WriteInt32LittleEndian(delta.AsSpan(1), _entries.Count);
        var offset = 5;
        foreach (var (key, value) in _entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var keyBytes = Encoding.Latin1.GetBytes(key);
            WriteEntry(delta.AsSpan(offset), keyBytes, value);
            offset += 6 + keyBytes.Length + value.Length;
        }

        return delta;
    }

    private void ReadEntry(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 2)
        {
            throw Malformed("a truncated key length");
        }

        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(rest);
        if (rest.Length < 6 + keyLength)
        {
            throw Malformed("a truncated key");
        }

        var key = Encoding.Latin1.GetString(rest.Slice(2, keyLength));
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(rest[(2 + keyLength)..]);
        if (valueLength < 0 || rest.Length < 6 + keyLength + valueLength)
        {
            throw Malformed("a truncated value");
        }

        var value = rest.Slice(6 + keyLength, valueLength).ToArray();
        var old = _entries.GetValueOrDefault(key);
        _bytes += keyLength + valueLength - (old is null ? 0 : old.Length + keyLength);
        _entries[key] = value;
        rest = rest[(6 + keyLength + valueLength)..];
    }
}
