using System.Runtime.CompilerServices;
using NeuroMesh.Fabric;

namespace NeuroMesh.Tests.Fabric;

/// <summary>Every padded or shared-memory type has the size and offsets its documentation promises.</summary>
[Trait("Tier", "Unit")]
public class PaddedLayoutTests
{
    [Fact]
    public void A_padded_long_sits_64_bytes_from_either_neighbour()
    {
        var padded = default(PaddedLong);
        Assert.Equal(CacheLine.PaddingSize, Unsafe.SizeOf<PaddedLong>());
        Assert.Equal(64, Layout.Offset(ref padded, ref padded.Value));

        // Two adjacent padded values are a full padding unit apart, so they never share a 128-byte line.
        var pair = new PaddedLong[2];
        Assert.Equal(CacheLine.PaddingSize, Unsafe.ByteOffset(ref pair[0].Value, ref pair[1].Value));
    }

    [Fact]
    public void Producer_fields_start_a_line_after_the_struct_begins()
    {
        var state = default(ProducerState);
        Assert.Equal(192, Unsafe.SizeOf<ProducerState>());
        Assert.Equal(64, Layout.Offset(ref state, ref state.GateLimit));
        Assert.Equal(72, Layout.Offset(ref state, ref state.RejectedTimeout));
        Assert.Equal(80, Layout.Offset(ref state, ref state.RejectedCancelled));
        Assert.Equal(88, Layout.Offset(ref state, ref state.WriterConflicts));
        Assert.Equal(96, Layout.Offset(ref state, ref state.HighWaterHits));
        Assert.Equal(104, Layout.Offset(ref state, ref state.WriterActive));
    }

    [Fact]
    public void The_shared_arena_header_keeps_contended_fields_on_their_own_lines()
    {
        var header = default(ArenaHeader);
        Assert.Equal(192, Unsafe.SizeOf<ArenaHeader>());
        Assert.Equal(0, Layout.Offset(ref header, ref header.Magic));
        Assert.Equal(8, Layout.Offset(ref header, ref header.Version));
        Assert.Equal(16, Layout.Offset(ref header, ref header.Capacity));
        Assert.Equal(24, Layout.Offset(ref header, ref header.Epoch));
        Assert.Equal(64, Layout.Offset(ref header, ref header.Next));
        Assert.Equal(128, Layout.Offset(ref header, ref header.LiveBlocks));
    }

    [Fact]
    public void An_arena_block_header_is_16_bytes()
    {
        var block = default(ArenaBlockHeader);
        Assert.Equal(16, Unsafe.SizeOf<ArenaBlockHeader>());
        Assert.Equal(0, Layout.Offset(ref block, ref block.Magic));
        Assert.Equal(4, Layout.Offset(ref block, ref block.Epoch));
        Assert.Equal(8, Layout.Offset(ref block, ref block.Length));
        Assert.Equal(12, Layout.Offset(ref block, ref block.RefCount));
        Assert.Equal(64, Arena.BlockSizeFor(48));
        Assert.Equal(128, Arena.BlockSizeFor(49));
    }
}
