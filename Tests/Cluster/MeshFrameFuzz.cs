using NeuroMesh.Fabric.Wire;

namespace NeuroMesh.Tests.Cluster;

/// <summary>
/// A seeded mix of valid frames from one sender (sequences 1..n, spikes of one source) and damaged ones: random bytes,
/// truncations, trailing bytes, bit flips and byte scribbles of valid frames, and replays of frames already sent.
/// </summary>
internal sealed class MeshFrameFuzz
{
    public List<byte[]> Frames { get; } = [];

    public int ValidFrames { get; private set; }

    public int ValidSpikes { get; private set; }

    public int Damaged => Frames.Count - ValidFrames;

    public static MeshFrameFuzz Create(int seed, ulong sender, uint source, int validFrames)
    {
        var random = new Random(seed);
        var fuzz = new MeshFrameFuzz();
        var sent = new List<byte[]>();
        var spikeNumber = 0;
        for (var sequence = 1; sequence <= validFrames; sequence++)
        {
            var count = random.Next(0, 40);
            var valid = SpikeFrame.Encode(sender, (ulong)sequence, 0, 0, MeshSpikes.Make(source, spikeNumber, count));
            spikeNumber += count;

            // Damaged variants go out before the valid frame, replays of earlier frames after it.
            for (var k = random.Next(0, 4); k > 0; k--)
            {
                fuzz.Frames.Add(Damage(random, valid));
            }

            fuzz.Frames.Add(valid);
            sent.Add(valid);
            fuzz.ValidFrames++;
            fuzz.ValidSpikes += count;
            if (random.Next(4) == 0)
            {
                fuzz.Frames.Add(sent[random.Next(sent.Count)]);
            }
        }

        return fuzz;
    }

    private static byte[] Damage(Random random, byte[] valid)
    {
        switch (random.Next(6))
        {
            case 0:
                var noise = new byte[random.Next(0, 2 * valid.Length + 1)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return valid[..random.Next(0, valid.Length)];
            case 2:
                var longer = new byte[valid.Length + random.Next(1, 200)];
                valid.CopyTo(longer, 0);
                return longer;
            case 3:
                var flipped = (byte[])valid.Clone();
                var bit = random.Next(flipped.Length * 8);
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                return flipped;
            default:
                // Scribble over a few bytes anywhere (header included), making sure at least one really changes.
                var scribbled = (byte[])valid.Clone();
                var at = random.Next(scribbled.Length);
                scribbled[at] = (byte)~scribbled[at];
                for (var k = random.Next(0, 8); k > 0; k--)
                {
                    scribbled[random.Next(scribbled.Length)] = (byte)random.Next(256);
                }

                return scribbled;
        }
    }
}
