using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

/// <summary>Spikes whose every field is derived from one sequence number, so that a torn or misplaced spike is detectable.</summary>
internal static class TestSpikes
{
    public static Spike Make(long sequence)
    {
        var spike = Spike.Create(source: (uint)sequence, target: (uint)(sequence * 7), type: (SpikeType)(sequence % 3), tick: (uint)(sequence / 10), sequence: (uint)sequence, priority: (byte)sequence);
        spike.Timestamp = sequence ^ 0x5A5A5A5A;
        Span<byte> payload = stackalloc byte[Spike.InlinePayloadCapacity];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence + i);
        }

        spike.SetInlinePayload(payload);
        return spike;
    }

    /// <summary>True when every field agrees with <paramref name="sequence"/>.</summary>
    public static bool IsIntact(in Spike spike, long sequence)
    {
        if (spike.Source != (uint)sequence || spike.Target != (uint)(sequence * 7) || spike.Sequence != (uint)sequence
            || spike.Tick != (uint)(sequence / 10) || spike.Timestamp != (sequence ^ 0x5A5A5A5A) || spike.Priority != (byte)sequence
            || spike.Type != (SpikeType)(sequence % 3) || spike.PayloadLength != Spike.InlinePayloadCapacity)
        {
            return false;
        }

        var payload = spike.InlinePayload;
        for (var i = 0; i < payload.Length; i++)
        {
            if (payload[i] != (byte)(sequence + i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Recovers the sequence a test spike was made from (Source holds its low 32 bits; the timestamp all 64).</summary>
    public static long SequenceOf(in Spike spike) => spike.Timestamp ^ 0x5A5A5A5A;
}
