using System.Buffers.Binary;
using System.Numerics;

namespace NeuroMesh.Engine.Hashing;

/// <summary>
/// SHA-256 (FIPS 180-4) whose running state can be saved and resumed: the eight chaining words, the bytes hashed so
/// far and the partial block. The BCL's incremental hash keeps that state private, and a run restored from an engine
/// snapshot must carry on the spike-train hash of ticks 0..T without hashing those ticks again. Digests equal
/// <see cref="System.Security.Cryptography.SHA256"/>'s for the same bytes.
/// </summary>
public sealed class ResumableSha256
{
    /// <summary>Bytes in <see cref="ExportState"/>: the 8 chaining words, the length and the partial 64-byte block.</summary>
    public const int StateSize = 32 + 8 + 64;

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    private readonly byte[] _block = new byte[64];
    private readonly uint[] _w = new uint[64];
    private long _length;

    /// <summary>Bytes hashed so far.</summary>
    public long Length => _length;

    /// <summary>Resumes the hash from a state that <see cref="ExportState"/> wrote.</summary>
    /// <exception cref="ArgumentException">The state has the wrong size or a negative length.</exception>
    public static ResumableSha256 Import(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException($"a SHA-256 state is {StateSize} bytes; got {state.Length}", nameof(state));
        }

        var sha = new ResumableSha256();
        for (var i = 0; i < 8; i++)
        {
            sha._h[i] = BinaryPrimitives.ReadUInt32LittleEndian(state[(i * 4)..]);
        }

        sha._length = BinaryPrimitives.ReadInt64LittleEndian(state[32..]);
        if (sha._length < 0)
        {
            throw new ArgumentException("a SHA-256 state with a negative length", nameof(state));
        }

        state.Slice(40, 64).CopyTo(sha._block);
        return sha;
    }

    /// <summary>The running state (<see cref="StateSize"/> bytes), to resume with <see cref="Import"/>.</summary>
    public byte[] ExportState()
    {
        var state = new byte[StateSize];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(i * 4), _h[i]);
        }

        BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(32), _length);
        _block.CopyTo(state.AsSpan(40));
        return state;
    }

    /// <summary>Hashes <paramref name="data"/> after everything appended before.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var used = (int)(_length & 63);
        _length += data.Length;
        if (used > 0)
        {
            var take = Math.Min(64 - used, data.Length);
            data[..take].CopyTo(_block.AsSpan(used));
            data = data[take..];
            if (used + take < 64)
            {
                return;
            }

            Compress(_h, _w, _block);
        }

        while (data.Length >= 64)
        {
            Compress(_h, _w, data[..64]);
            data = data[64..];
        }

        data.CopyTo(_block);
    }

    /// <summary>The digest of everything appended so far; the hash can go on afterwards.</summary>
    public byte[] Current()
    {
        var h = (uint[])_h.Clone();
        var w = new uint[64];
        var used = (int)(_length & 63);
        Span<byte> tail = stackalloc byte[128];
        _block.AsSpan(0, used).CopyTo(tail);
        tail[used] = 0x80;
        var blocks = used < 56 ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(tail[((blocks * 64) - 8)..], (ulong)_length * 8);
        for (var b = 0; b < blocks; b++)
        {
            Compress(h, w, tail.Slice(b * 64, 64));
        }

        var digest = new byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * 4), h[i]);
        }

        return digest;
    }

    private static void Compress(uint[] h, uint[] w, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < 16; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        }

        for (var i = 16; i < 64; i++)
        {
            uint w15 = w[i - 15], w2 = w[i - 2];
            var s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
            var s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (var i = 0; i < 64; i++)
        {
            var s1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var ch = (e & f) ^ (~e & g);
            var t1 = hh + s1 + ch + K[i] + w[i];
            var s0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var maj = (a & b) ^ (a & c) ^ (b & c);
            var t2 = s0 + maj;
            (hh, g, f, e, d, c, b, a) = (g, f, e, d + t1, c, b, a, t1 + t2);
        }

        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
