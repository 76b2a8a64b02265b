using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NeuroMesh.Benchmarks.Suites.Chaos;

/// <summary>
/// One silo node (<c>dotnet NeuroMesh.Silo.dll</c>) of the chaos soak as a real child process on fixed loopback ports, so
/// that a restart is a new generation of the same silo. The soak kills it (SIGKILL), pauses it (SIGSTOP/SIGCONT), starts it
/// again, and reads its resident memory from <c>/proc</c>.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly string _siloDll;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public SiloProcess(string siloDll, IReadOnlyDictionary<string, string> settings, int[] ports)
    {
        _siloDll = siloDll;
        _settings = settings;
        SiloPort = ports[0];
        GatewayPort = ports[1];
        HttpPort = ports[2];
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    /// <summary>Whether the current generation has exited (or none was started).</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The last lines the node wrote (for failure messages).</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length <= 4000 ? text : text[^4000..];
            }
        }
    }

    /// <summary>Starts a new generation and waits until its <c>/health/ready</c> answers 200; returns how long that took.</summary>
    /// <exception cref="TimeoutException">Not ready within <paramref name="within"/> (the message carries its output).</exception>
    public async Task<TimeSpan> StartAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_siloDll)!,
        };
        start.ArgumentList.Add(_siloDll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = $"http://127.0.0.1:{HttpPort}";
        start.Environment["NeuroMesh__Clustering__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["NeuroMesh__Clustering__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {_siloDll}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync(within, clock);
        return clock.Elapsed;
    }

    /// <summary>SIGKILL: no shutdown at all. Waits for the process to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            Signal("CONT"); // a paused process is killed all the same, but its children would stay stopped
            _process.Kill(entireProcessTree: true);
        }

        _process?.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stops answering anything, sockets stay open.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Continue() => Signal("CONT");

    /// <summary>Waits until <c>/health/ready</c> answers 200 again; false when the process exited first or the bound passed.</summary>
    public async Task<bool> AnswersWithinAsync(TimeSpan within)
    {
        try
        {
            await WaitReadyAsync(within, Stopwatch.StartNew());
            return true;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The resident set size in bytes from <c>/proc/PID/status</c> (VmRSS), or 0 when the process is gone.</summary>
    public long ResidentBytes()
    {
        try
        {
            if (_process is null || _process.HasExited)
            {
                return 0;
            }

            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0; // exited between the check and the read
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process?.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false })
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
    }

    private async Task WaitReadyAsync(TimeSpan within, Stopwatch clock)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < within)
        {
            if (HasExited)
            {
                _process?.WaitForExit();
                throw new InvalidOperationException($"the silo on port {SiloPort} exited before it was ready:\n{OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if ((int)response.StatusCode == 200)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or slow to answer on a busy machine.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the silo on port {SiloPort} did not answer /health/ready within {within}:\n{OutputTail}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }
        }
    }
}
