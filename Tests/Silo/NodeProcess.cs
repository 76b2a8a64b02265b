using System.Diagnostics;
using System.Text;

namespace NeuroMesh.Tests.Silo;

/// <summary>
/// A long-running silo node (<c>dotnet NeuroMesh.Silo.dll</c>, no verb) as a real child process on free loopback ports,
/// configured through environment variables (<c>NeuroMesh__…</c>). <see cref="StartAsync"/> returns once the node's
/// <c>/health/ready</c> answers 200; disposing kills the process tree. <see cref="Kill"/> is SIGKILL: no shutdown at all.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, int siloPort, int gatewayPort, int httpPort, int httpsPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    /// <summary>The silo-to-silo port on 127.0.0.1.</summary>
    public int SiloPort { get; }

    /// <summary>The client gateway port on 127.0.0.1.</summary>
    public int GatewayPort { get; }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The HTTPS port on 127.0.0.1 (0 unless started with <c>https</c>).</summary>
    public int HttpsPort { get; }

    /// <summary>The node's HTTP base address.</summary>
    public Uri Http => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The node's HTTPS base address (started with <c>https</c>).</summary>
    public Uri Https => HttpsPort > 0 ? new($"https://127.0.0.1:{HttpsPort}/") : throw new InvalidOperationException("the node was started without HTTPS");

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the node wrote to stdout and stderr so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The settings of a node in a cluster of its own (a fresh cluster and service id from <paramref name="name"/>) with its
    /// SQLite delta log in <paramref name="dataDir"/>; add a test's own settings to it.
    /// </summary>
    public static Dictionary<string, string> OwnCluster(string name, string dataDir)
    {
        var cluster = $"{name}-{Guid.NewGuid():N}";
        return new Dictionary<string, string>
        {
            ["NeuroMesh:Clustering:ClusterId"] = cluster,
            ["NeuroMesh:Clustering:ServiceId"] = cluster,
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(dataDir, "log.db"),
        };
    }

    /// <summary>
    /// Starts a node (a secondary of <paramref name="primary"/>'s localhost cluster when given). <paramref name="settings"/> are configuration keys (<c>NeuroMesh:DeltaLog:Path</c>) passed as
    /// environment variables; ports, cluster id and logging are chosen here unless given.
    /// With <paramref name="https"/> the node listens on an <c>https://</c> address (<see cref="HttpsPort"/>) as well as on
    /// <see cref="HttpPort"/>; the settings give it its certificate (readiness is polled over plain HTTP, whose
    /// <c>/health/*</c> an HTTPS gateway still serves).
    /// </summary>
    /// <exception cref="TimeoutException">The node was not ready within <paramref name="readyWithin"/> (the message carries its output).</exception>
    public static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan readyWithin, NodeProcess? primary = null, bool https = false)
        => await StartAsync(settings, readyWithin, primary, NeuroMesh.Hosting.LoopbackPorts.Free(https ? 4 : 3));

    /// <summary>Starts a node again on the ports of <paramref name="previous"/> (a restart after <see cref="Kill"/>: a new generation of the same silo).</summary>
    public static Task<NodeProcess> RestartAsync(NodeProcess previous, IReadOnlyDictionary<string, string> settings, TimeSpan readyWithin, NodeProcess? primary = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return StartAsync(settings, readyWithin, primary, previous.HttpsPort > 0
            ? [previous.SiloPort, previous.GatewayPort, previous.HttpPort, previous.HttpsPort]
            : [previous.SiloPort, previous.GatewayPort, previous.HttpPort]);
    }

    private static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan readyWithin, NodeProcess? primary, int[] ports)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuroMesh.Silo.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = ports.Length > 3 ? $"http://127.0.0.1:{ports[2]};https://127.0.0.1:{ports[3]}" : $"http://127.0.0.1:{ports[2]}";
        start.Environment["NeuroMesh__Clustering__SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NeuroMesh__Clustering__GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (primary is not null)
        {
            start.Environment["NeuroMesh__Clustering__PrimarySiloEndpoint"] = $"127.0.0.1:{primary.SiloPort}";
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var node = new NodeProcess(Process.Start(start)!, ports[0], ports[1], ports[2], ports.Length > 3 ? ports[3] : 0);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await node.WaitReadyAsync(readyWithin);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>GETs <paramref name="path"/> and returns the status code and body.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Kills the node with SIGKILL (the whole process tree) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        try
        {
            await Eventually.Until(ReadinessAsync, status => status == "200", "the node to answer 200 on /health/ready", within);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Output}", e);
        }
    }

    /// <summary>The readiness probe's status code, or why there is none yet; throws when the node exited.</summary>
    private async Task<string> ReadinessAsync()
    {
        if (_process.HasExited)
        {
            // Exited is not yet the end of its output: the asynchronous readers may still hold the last lines (the
            // error that says why), and only the wait without a timeout waits for them.
            _process.WaitForExit();
            throw new InvalidOperationException($"the node exited with code {_process.ExitCode} before it was ready:\n{Output}");
        }

        try
        {
            return (await GetAsync("health/ready")).Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e)
        {
            return $"not listening yet ({e.Message})";
        }
        catch (TaskCanceledException)
        {
            return "no answer in time (a busy machine)";
        }
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
        }
    }
}
