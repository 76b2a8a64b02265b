using System.Text;
using NeuroMesh.Hashing;

namespace NeuroMesh.Tests.Fabric.Wire;

[Trait("Tier", "Unit")]
public sealed class Crc32CTests
{
    [Fact]
    public void The_helper_gives_the_standard_check_value_and_continues_across_any_split()
    {
        // The check value of CRC-32C (CRC-32/ISCSI) for "123456789", as catalogues of CRC algorithms list it.
        var data = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xE3069283u, Crc32C.Of(data));

        // Words and tail bytes: any split of a longer input continues to the same value.
        var longer = Enumerable.Range(0, 100).Select(i => (byte)(i * 37)).ToArray();
        var whole = Crc32C.Of(longer);
        for (var cut = 0; cut <= longer.Length; cut += 7)
        {
            Assert.Equal(whole, ~Crc32C.Append(Crc32C.Append(Crc32C.Seed, longer.AsSpan(0, cut)), longer.AsSpan(cut)));
        }
    }
}
