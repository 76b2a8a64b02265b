using System.Text;
using NeuroMesh.Hashing;

namespace NeuroMesh.Tests.Cluster;

[Trait("Tier", "Unit")]
public sealed class StableHash64Tests
{
    [Fact]
    public void Fnv1a_and_the_splitmix_finaliser_give_their_published_values()
    {
        // FNV-1a 64 of "" is the offset basis and of "a" 0xaf63dc4c8601ec8c (the FNV authors' test values); SplitMix64's
        // first output from state 0 is the finaliser of the golden-ratio increment, 0xe220a8397b1dcdaf.
        Assert.Equal(14695981039346656037UL, StableHash64.Fnv1a(""));
        Assert.Equal(0xAF63DC4C8601EC8CUL, StableHash64.Fnv1a("a"));
        Assert.Equal(StableHash64.Fnv1a("région"), StableHash64.Fnv1a(Encoding.UTF8.GetBytes("région")));
        Assert.Equal(0xE220A8397B1DCDAFUL, StableHash64.Mix(0x9E3779B97F4A7C15UL));

        // A region's placement score must not change between versions, or regions would move silos on an upgrade: this
        // value was computed outside .NET from the algorithm's definition (FNV-1a, then the finaliser).
        Assert.Equal(0xF6DE9D584489E594UL, NeuroMesh.Placement.RendezvousHash.Score("cortex/v1", "S127.0.0.1:11111:1"));
    }
}
