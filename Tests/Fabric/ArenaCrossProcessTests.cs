using System.Diagnostics;
using System.Globalization;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

/// <summary>Two processes share one file-backed arena: payloads written by one are read byte-exact by the other.</summary>
public sealed class ArenaCrossProcessTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"neuromesh-arena-{Guid.NewGuid():N}.bin");

    [Fact]
    public async Task Another_process_writes_payloads_and_this_one_reads_them_byte_exact()
    {
        using var arena = Arena.CreateFile(_path, 4 << 20);
        var (exitCode, output) = await RunPeer($"write {_path} 500 11", stdin: null);
        Assert.Equal(0, exitCode);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(500, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            var reference = new ArenaRef(long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), uint.Parse(parts[2], CultureInfo.InvariantCulture));
            Assert.Equal(Expected(i, 11), arena.Read(reference).ToArray());
        }

        // The other process's allocations are visible here through the shared header.
        Assert.Equal(500, arena.LiveBlocks);
    }

    [Fact]
    public async Task This_process_writes_payloads_and_another_one_verifies_them()
    {
        var lines = new List<string>();
        using (var arena = Arena.CreateFile(_path, 4 << 20))
        {
            for (var i = 0; i < 300; i++)
            {
                var reference = arena.Write(Expected(i, 5));
                lines.Add(FormattableString.Invariant($"{reference.Offset} {reference.Length} {reference.Epoch}"));
            }

            var (exitCode, output) = await RunPeer($"verify {_path} 5", string.Join('\n', lines) + "\n");
            Assert.Equal(0, exitCode);
            Assert.Equal("verified 300", output.Trim());

            // A corrupted byte is noticed by the other process.
            var first = lines[0].Split(' ');
            arena.GetSpan(new ArenaRef(long.Parse(first[0], CultureInfo.InvariantCulture), int.Parse(first[1], CultureInfo.InvariantCulture), 1))[3] ^= 0xFF;
            (exitCode, output) = await RunPeer($"verify {_path} 5", string.Join('\n', lines) + "\n");
            Assert.Equal(1, exitCode);
            Assert.Equal("mismatch at 0", output.Trim());
        }
    }

    [Fact]
    public void A_file_that_is_not_an_arena_is_refused()
    {
        File.WriteAllBytes(_path, new byte[1 << 16]);
        var e = Assert.Throws<InvalidDataException>(() => Arena.OpenFile(_path));
        Assert.Contains("not a NeuroMesh arena", e.Message);
    }

    public void Dispose() => File.Delete(_path);

    private static byte[] Expected(int index, int seed)
    {
        var data = new byte[37 + (index * 97 % 3000)];
        for (var j = 0; j < data.Length; j++)
        {
            data[j] = (byte)((seed * 31) + (index * 7) + (j * 13));
        }

        return data;
    }

    private static async Task<(int ExitCode, string Output)> RunPeer(string arguments, string? stdin)
    {
        // Tests/bin/<Configuration>/<tfm>/ -> Tests/ArenaPeer/bin/<Configuration>/<tfm>/
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var testsDir = baseDir.Parent!.Parent!.Parent!.FullName;
        var peer = Path.Combine(testsDir, "ArenaPeer", "bin", configuration, tfm, "NeuroMesh.Tests.ArenaPeer.dll");
        Assert.True(File.Exists(peer), $"the peer program was not built at {peer}; build the solution first");

        var start = new ProcessStartInfo("dotnet", $"\"{peer}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(error.Length == 0 || process.ExitCode != 0, error);
        return (process.ExitCode, output);
    }
}
