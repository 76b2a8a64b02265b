using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Spikes;

[Trait("Tier", "Unit")]
public class SpikeLayoutTests
{
    [Fact]
    public void Spike_is_exactly_one_cache_line()
    {
        Assert.Equal(64, Unsafe.SizeOf<Spike>());
        Assert.Equal(64, Marshal.SizeOf<Spike>());
        Assert.Equal(Spike.Size, Unsafe.SizeOf<Spike>());
        Assert.Equal(36, Unsafe.SizeOf<SpikePayload>());
        Assert.Equal(16, Unsafe.SizeOf<ArenaRef>());
    }

    [Fact]
    public void Every_field_sits_at_its_documented_offset()
    {
        var spike = default(Spike);
        Assert.Equal(0, Layout.Offset(ref spike, ref spike.Timestamp));
        Assert.Equal(8, Layout.Offset(ref spike, ref spike.Tick));
        Assert.Equal(12, Layout.Offset(ref spike, ref spike.Sequence));
        Assert.Equal(16, Layout.Offset(ref spike, ref spike.Source));
        Assert.Equal(20, Layout.Offset(ref spike, ref spike.Target));
        Assert.Equal(24, Layout.Offset(ref spike, ref spike.Type));
        Assert.Equal(25, Layout.Offset(ref spike, ref spike.Priority));
        Assert.Equal(26, Layout.Offset(ref spike, ref spike.Flags));
        Assert.Equal(27, Layout.Offset(ref spike, ref spike.PayloadLength));
        Assert.Equal(28, Layout.Offset(ref spike, ref spike.Payload));
        Assert.Equal(28 + Spike.InlinePayloadCapacity, Spike.Size);
    }

    [Fact]
    public void Bytes_written_through_the_byte_view_are_the_fields()
    {
        var spike = Spike.Create(source: 0x01020304, target: Spike.BroadcastTarget, type: SpikeType.Modulatory, tick: 77, sequence: 9, priority: 200);
        spike.Timestamp = 0x1122334455667788;
        spike.SetInlinePayload([1, 2, 3]);

        var bytes = Spike.AsBytes(ref spike);
        Assert.Equal(64, bytes.Length);
        Assert.Equal(0x1122334455667788, BitConverter.ToInt64(bytes[0..8]));
        Assert.Equal(77u, BitConverter.ToUInt32(bytes[8..12]));
        Assert.Equal(9u, BitConverter.ToUInt32(bytes[12..16]));
        Assert.Equal(0x01020304u, BitConverter.ToUInt32(bytes[16..20]));
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(bytes[20..24]));
        Assert.Equal((byte)SpikeType.Modulatory, bytes[24]);
        Assert.Equal(200, bytes[25]);
        Assert.Equal(3, bytes[27]);
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, bytes[28..32].ToArray());

        // Zero copy: a write through the byte view is visible in the struct, and FromBytes aliases the same memory.
        bytes[16] = 0xFF;
        Assert.Equal(0x010203FFu, spike.Source);
        ref readonly var alias = ref Spike.FromBytes(bytes);
        Assert.True(Unsafe.AreSame(ref Unsafe.AsRef(in alias), ref spike));
        Assert.True(alias.IsBroadcast);
    }

    [Fact]
    public void Byte_buffers_cast_to_spike_spans_without_copying()
    {
        var buffer = new byte[64 * 3];
        var spikes = Spike.AsSpikes(buffer);
        Assert.Equal(3, spikes.Length);
        spikes[2].Source = 42;
        Assert.Equal(42u, BitConverter.ToUInt32(buffer, (2 * 64) + 16));
        Assert.Equal(buffer.Length, Spike.AsBytes(spikes).Length);
    }

    [Fact]
    public void Wrong_lengths_are_rejected_with_a_clear_message()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Spike.FromBytes(new byte[63]));
        Assert.Contains("exactly 64 bytes", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Spike.AsSpikes(new byte[65]));
        Assert.Contains("multiple of 64", e2.Message);
    }

    [Fact]
    public void Inline_payload_round_trips_and_oversize_payload_points_to_the_arena()
    {
        var spike = default(Spike);
        var payload = Enumerable.Range(0, 36).Select(i => (byte)i).ToArray();
        spike.SetInlinePayload(payload);
        Assert.Equal(payload, spike.InlinePayload.ToArray());
        Assert.False(spike.HasArenaPayload);

        var e = Assert.Throws<ArgumentException>(() => spike.SetInlinePayload(new byte[37]));
        Assert.Contains("Arena", e.Message);
        // A rejected payload leaves the spike untouched.
        Assert.Equal(payload, spike.InlinePayload.ToArray());
    }

    [Fact]
    public void Arena_reference_is_carried_in_the_payload_and_flagged()
    {
        var spike = default(Spike);
        Assert.False(spike.TryGetArenaRef(out _));
        var reference = new ArenaRef(offset: 4096, length: 1000, epoch: 3);
        spike.SetArenaRef(reference);
        Assert.True(spike.HasArenaPayload);
        Assert.Equal(SpikeFlags.ArenaPayload, spike.Flags & SpikeFlags.ArenaPayload);
        Assert.True(spike.TryGetArenaRef(out var back));
        Assert.Equal(reference, back);

        spike.SetInlinePayload([9]);
        Assert.False(spike.HasArenaPayload);
    }
}
