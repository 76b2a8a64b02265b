using System.Runtime.CompilerServices;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric.Wire;

[Trait("Tier", "Unit")]
public class SpikeFrameTests
{
    [Fact]
    public void Header_layout_is_64_bytes_with_documented_offsets()
    {
        var h = default(SpikeFrameHeader);
        Assert.Equal(64, Unsafe.SizeOf<SpikeFrameHeader>());
        Assert.Equal(4, Layout.Offset(ref h, ref h.Version));
        Assert.Equal(5, Layout.Offset(ref h, ref h.Flags));
        Assert.Equal(8, Layout.Offset(ref h, ref h.Count));
        Assert.Equal(12, Layout.Offset(ref h, ref h.Crc));
        Assert.Equal(16, Layout.Offset(ref h, ref h.Sender));
        Assert.Equal(24, Layout.Offset(ref h, ref h.Sequence));
        Assert.Equal(32, Layout.Offset(ref h, ref h.FirstTick));
        Assert.Equal(40, Layout.Offset(ref h, ref h.LastTick));
    }

    [Fact]
    public void A_frame_round_trips_every_spike_and_the_window()
    {
        var spikes = Enumerable.Range(0, 100).Select(i => TestSpikes.Make(i)).ToArray();
        var frame = SpikeFrame.Encode(sender: 42, sequence: 1, firstTick: 10, lastTick: 19, spikes, SpikeFrameFlags.EndOfWindow);
        Assert.Equal(64 + (100 * 64), frame.Length);

        var decoder = new SpikeFrameDecoder();
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(frame, out var header, out var decoded));
        Assert.Equal(42ul, header.Sender);
        Assert.Equal(1ul, header.Sequence);
        Assert.Equal((10ul, 19ul), (header.FirstTick, header.LastTick));
        Assert.Equal(SpikeFrameFlags.EndOfWindow, header.Flags);
        Assert.Equal(100, decoded.Length);
        for (var i = 0; i < decoded.Length; i++)
        {
            Assert.True(TestSpikes.IsIntact(decoded[i], i));
        }

        Assert.Equal((1L, 100L), (decoder.Accepted, decoder.SpikesAccepted));
    }

    [Fact]
    public void An_empty_frame_is_a_valid_end_of_window_marker()
    {
        var frame = SpikeFrame.Encode(7, 1, 0, 9, [], SpikeFrameFlags.EndOfWindow);
        Assert.Equal(SpikeFrameRejection.None, new SpikeFrameDecoder().TryDecode(frame, out var header, out var spikes));
        Assert.Equal(0, spikes.Length);
        Assert.Equal(SpikeFrameFlags.EndOfWindow, header.Flags);
    }

    [Fact]
    public void Replayed_frames_are_rejected_per_sender_and_gaps_are_counted()
    {
        var decoder = new SpikeFrameDecoder();
        byte[] Frame(ulong sender, ulong sequence) => SpikeFrame.Encode(sender, sequence, 0, 0, [TestSpikes.Make((long)sequence)]);

        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 1), out _, out _));
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(2, 1), out _, out _));
        Assert.Equal(SpikeFrameRejection.Replayed, decoder.TryDecode(Frame(1, 1), out _, out var none));
        Assert.Equal(0, none.Length);
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 4), out _, out _));
        Assert.Equal(SpikeFrameRejection.Replayed, decoder.TryDecode(Frame(1, 3), out _, out _));
        Assert.Equal(1, decoder.Gaps);
        Assert.Equal(2, decoder.Rejected(SpikeFrameRejection.Replayed));
        Assert.Equal(3, decoder.Accepted);
    }

    [Fact]
    public void A_refused_frame_is_counted_and_gives_its_sequence_back_to_the_sender()
    {
        var decoder = new SpikeFrameDecoder();
        byte[] Frame(ulong sender, ulong sequence) => SpikeFrame.Encode(sender, sequence, 0, 0, [TestSpikes.Make((long)sequence)]);

        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 1), out _, out _));
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 3), out _, out var spikes));
        decoder.Refuse(SpikeFrameRejection.OutsideWindow, spikes.Length);
        Assert.Throws<InvalidOperationException>(() => decoder.Refuse(SpikeFrameRejection.OutsideWindow, 0));
        Assert.Equal((1L, 1L, 0L, 1L), (decoder.Accepted, decoder.SpikesAccepted, decoder.Gaps, decoder.Rejected(SpikeFrameRejection.OutsideWindow)));

        // The sender's real frame 2 is not a replay; the refused sequence 3 is free again too.
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 2), out _, out _));
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(1, 3), out _, out _));
        Assert.Equal((3L, 0L, 1L), (decoder.Accepted, decoder.Gaps, decoder.RejectedTotal));

        // A first frame from a sender, refused, leaves no trace of that sender.
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(9, 5), out _, out _));
        decoder.Refuse(SpikeFrameRejection.UnknownSender, 1);
        Assert.Equal(SpikeFrameRejection.None, decoder.TryDecode(Frame(9, 1), out _, out _));
        Assert.Equal(0, decoder.Gaps);
    }

    [Fact]
    public void Each_kind_of_damage_is_rejected_for_its_own_reason()
    {
        var good = SpikeFrame.Encode(5, 1, 0, 3, [TestSpikes.Make(1), TestSpikes.Make(2)]);
        Assert.Equal(SpikeFrameRejection.Truncated, Decode(good[..10]));
        Assert.Equal(SpikeFrameRejection.Truncated, Decode(good[..^1]));
        Assert.Equal(SpikeFrameRejection.TrailingBytes, Decode([.. good, 0]));
        Assert.Equal(SpikeFrameRejection.BadMagic, Decode(Mutate(good, 0, 0xFF)));
        Assert.Equal(SpikeFrameRejection.UnknownVersion, Decode(Mutate(good, 4, 9)));
        Assert.Equal(SpikeFrameRejection.MalformedHeader, Decode(Mutate(good, 5, 0x80)));
        Assert.Equal(SpikeFrameRejection.MalformedHeader, Decode(Mutate(good, 50, 1)));
        Assert.Equal(SpikeFrameRejection.BadChecksum, Decode(Mutate(good, 64 + 20, 0x01)));
        Assert.Equal(SpikeFrameRejection.BadChecksum, Decode(Mutate(good, 16, 0x01)));
        Assert.Equal(SpikeFrameRejection.None, Decode(good));
    }

    [Fact]
    public void Encoding_rejects_bad_arguments_clearly()
    {
        Assert.Contains("start at 1", Assert.Throws<ArgumentException>(() => SpikeFrame.Encode(1, 0, 0, 0, [])).Message);
        Assert.Contains("backwards", Assert.Throws<ArgumentException>(() => SpikeFrame.Encode(1, 1, 5, 4, [])).Message);
        Assert.Contains("at most", Assert.Throws<ArgumentException>(() => SpikeFrame.Encode(1, 1, 0, 0, new Spike[SpikeFrame.MaxSpikes + 1])).Message);
    }

    [Fact]
    public void Fuzz_random_and_mutated_frames_are_rejected_and_never_delivered()
    {
        var random = new Random(20261125);
        var decoder = new SpikeFrameDecoder();
        ulong sequence = 0;
        var delivered = 0L;
        var valid = 0L;
        for (var round = 0; round < 20_000; round++)
        {
            var count = random.Next(0, 20);
            var spikes = Enumerable.Range(0, count).Select(i => TestSpikes.Make(random.Next())).ToArray();
            var frame = SpikeFrame.Encode(sender: 3, ++sequence, 0, 1, spikes);
            var kind = random.Next(4);
            byte[] input;
            switch (kind)
            {
                case 0:
                    input = frame;
                    valid++;
                    break;
                case 1:
                    input = new byte[random.Next(0, 400)];
                    random.NextBytes(input);
                    break;
                case 2:
                    input = (byte[])frame.Clone();
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                default:
                    input = frame[..random.Next(0, frame.Length)];
                    break;
            }

            if (kind != 0 && input.AsSpan().SequenceEqual(frame))
            {
                // Two flips of the same bit cancel out: the frame is intact after all.
                kind = 0;
                valid++;
            }

            var result = decoder.TryDecode(input, out _, out var got);
            if (result == SpikeFrameRejection.None)
            {
                Assert.Equal(0, kind);
                delivered += got.Length;
            }
            else
            {
                Assert.NotEqual(0, kind);
                Assert.Equal(0, got.Length);
            }
        }

        Assert.Equal(valid, decoder.Accepted);
        Assert.Equal(20_000 - valid, decoder.RejectedTotal);
        Assert.Equal(delivered, decoder.SpikesAccepted);
    }

    private static SpikeFrameRejection Decode(byte[] frame) => new SpikeFrameDecoder().TryDecode(frame, out _, out _);

    private static byte[] Mutate(byte[] frame, int index, byte xor)
    {
        var copy = (byte[])frame.Clone();
        copy[index] ^= xor;
        return copy;
    }
}
