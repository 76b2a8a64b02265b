using System.Diagnostics;
using System.Text;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Python;

/// <summary>
/// The <c>neuromesh</c> Python package (python/) installed the way docs/python.md says, offline, into a throwaway
/// virtual environment that sees Debian's packages (<c>--system-site-packages</c>: numpy, PyNN, Neo, matplotlib,
/// Brian2): <c>pip install --no-deps --no-build-isolation ./python</c> with Debian's pip, run by /usr/bin/python3.
/// <see cref="RunAsync"/> runs its Python from a folder outside the repository, with <c>NEUROMESH_SILO</c> naming the
/// silo built next to the tests, so every import comes from the installed package and <c>neuromesh.local()</c> starts
/// that silo.
/// </summary>
public sealed class PythonEnvironment : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-python-").FullName;

    /// <summary>The repository root.</summary>
    public string Root { get; } = ExamplesDirectory.Root();

    /// <summary>The environment's python.</summary>
    public string Python => Path.Combine(_dir, "venv", "bin", "python");

    /// <summary>A folder to run scripts in (not the repository, so nothing is imported from python/ itself).</summary>
    public string WorkDir => Path.Combine(_dir, "work");

    /// <summary>What the install printed.</summary>
    public string InstallOutput { get; private set; } = string.Empty;

    /// <summary>The silo the Python side starts (built next to the tests).</summary>
    public static string Silo => Path.Combine(AppContext.BaseDirectory, "NeuroMesh.Silo.dll");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDir);
        var system = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var venv = await RunProcessAsync(
            system,
            ["-m", "venv", "--system-site-packages", "--without-pip", Path.Combine(_dir, "venv")],
            _dir,
            TimeSpan.FromMinutes(2));
        Assert.True(venv.Code == 0, $"python3 -m venv failed:\n{venv.Output}");
        // A copy of python/ (pip builds in the source folder; the repository's stays clean).
        var source = Path.Combine(_dir, "src");
        CopyTree(Path.Combine(Root, "python"), source);
        var install = await RunProcessAsync(
            system,
            ["-m", "pip", "--python", Python, "install", "--no-deps", "--no-build-isolation", "--no-index", source],
            _dir,
            TimeSpan.FromMinutes(5));
        InstallOutput = install.Output;
        Assert.True(install.Code == 0, $"pip install ./python failed:\n{install.Output}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the environment's python with <paramref name="args"/> in <see cref="WorkDir"/>: exit code, all output.
    /// </summary>
    public Task<(int Code, string Output)> RunAsync(IEnumerable<string> args, TimeSpan within)
        => RunProcessAsync(
            Python, args, WorkDir, within, new Dictionary<string, string> { ["NEUROMESH_SILO"] = Silo });

    private static async Task<(int Code, string Output)> RunProcessAsync(
        string program,
        IEnumerable<string> args,
        string folder,
        TimeSpan within,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The tests' own node settings must not leak into the silos the Python side starts.
        var inherited = start.Environment.Keys
            .Where(k => k.StartsWith("NeuroMesh__", StringComparison.Ordinal))
            .ToList();
        foreach (var key in inherited)
        {
            start.Environment.Remove(key);
        }

        start.Environment.Remove("PYTHONPATH");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["MPLBACKEND"] = "Agg";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {within}:\n{Text(output)}");
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "build" or "__pycache__" || p.EndsWith(".egg-info", StringComparison.Ordinal)))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
