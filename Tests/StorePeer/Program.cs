using System.Globalization;
using System.Text;
using NeuroMesh.Persistence;

// The process the crash-safety test kills with SIGKILL. It appends to one stream under load, batch after batch, and
// prints "confirmed <version>" once each append is acknowledged; the test then checks every confirmed delta survived.
//   sqlite <path> <stream>
//   postgres <connection-string> <schema> <stream>
// Delta v carries CrashPayload.For(v), so a survivor can be checked byte for byte. It stops by itself after 60 s.
if (args.Length < 3 || (args[0] == "postgres" && args.Length < 4))
{
    Console.Error.WriteLine("usage: sqlite <path> <stream> | postgres <connection-string> <schema> <stream>");
    return 2;
}

await using IDeltaLogStore store = args[0] switch
{
    "sqlite" => await SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = args[1] }),
    "postgres" => await PostgresDeltaLogStore.OpenAsync(new PostgresDeltaLogOptions { ConnectionString = args[1], Schema = args[2] }),
    _ => throw new ArgumentException($"unknown backend '{args[0]}'; expected sqlite or postgres"),
};
var stream = args[^1];
var version = (await store.GetStreamAsync(stream))?.Version ?? 0;
var deadline = DateTime.UtcNow.AddSeconds(60);
for (var n = 0; DateTime.UtcNow < deadline; n++)
{
    var size = 1 + (n * 7 % 40);
    var batch = DeltaBatch.Create(Enumerable.Range(1, size).Select(i => new Delta("Crash", CrashPayload.For(version + i))));
    var result = await store.AppendAsync(stream, version, batch);
    version = result.LastVersion;
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"confirmed {version}"));
    Console.Out.Flush();
}

return 0;

/// <summary>The payload both the peer and the test agree on for a version.</summary>
internal static class CrashPayload
{
    public static byte[] For(long version) => Encoding.UTF8.GetBytes($"crash-delta-{version}:{new string('p', (int)(version % 97))}");
}
