using System.Globalization;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

// The second process of the shared-arena test.
//   write <path> <count> <seed>   writes <count> payloads into the arena file and prints "offset length epoch" per line
//   verify <path> <seed>          reads "offset length epoch" lines from stdin and checks every payload byte-exact
if (args.Length != 4 && args.Length != 3)
{
    Console.Error.WriteLine("usage: write <path> <count> <seed> | verify <path> <seed>");
    return 2;
}

using var arena = Arena.OpenFile(args[1]);
if (args[0] == "write")
{
    var count = int.Parse(args[2], CultureInfo.InvariantCulture);
    var seed = int.Parse(args[3], CultureInfo.InvariantCulture);
    for (var i = 0; i < count; i++)
    {
        var payload = PeerPattern.For(i, seed);
        var reference = arena.Write(payload);
        Console.WriteLine(FormattableString.Invariant($"{reference.Offset} {reference.Length} {reference.Epoch}"));
    }

    return 0;
}

if (args[0] == "verify")
{
    var seed = int.Parse(args[2], CultureInfo.InvariantCulture);
    var index = 0;
    while (Console.ReadLine() is { Length: > 0 } line)
    {
        var parts = line.Split(' ');
        var reference = new ArenaRef(long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), uint.Parse(parts[2], CultureInfo.InvariantCulture));
        if (!arena.Read(reference).SequenceEqual(PeerPattern.For(index, seed)))
        {
            Console.WriteLine($"mismatch at {index}");
            return 1;
        }

        index++;
    }

    Console.WriteLine($"verified {index}");
    return 0;
}

Console.Error.WriteLine($"unknown verb '{args[0]}'");
return 2;

/// <summary>The payload both processes agree on: payload i of a seed has length 37 + (i * 97 % 3000).</summary>
internal static class PeerPattern
{
    public static byte[] For(int index, int seed)
    {
        var data = new byte[37 + (index * 97 % 3000)];
        for (var j = 0; j < data.Length; j++)
        {
            data[j] = (byte)((seed * 31) + (index * 7) + (j * 13));
        }

        return data;
    }
}
