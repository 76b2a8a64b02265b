using System.Globalization;
using NeuroMesh.Cli;
using NeuroMesh.Client;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Client;

/// <summary>
/// A real two-silo <see cref="EmbeddedCluster"/> for the client and CLI tests, a <see cref="NeuroMeshClient"/> connected to
/// its second silo's gateway, and the CLI run in this process against the same gateway with captured stdout and stderr.
/// </summary>
public sealed class ClientClusterFixture : IAsyncLifetime
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("neuromesh-client-").FullName;
    private EmbeddedCluster? _cluster;
    private NeuroMeshClient? _client;

    public NeuroMeshClient Client => _client!;

    public EmbeddedCluster Cluster => _cluster!;

    public string Directory => _dir;

    public string Gateway => $"127.0.0.1:{Cluster.GatewayPorts[1].ToString(CultureInfo.InvariantCulture)}";

    /// <summary>delta_delays.json cut to 60 ms (600 ticks, 1000 neurons), and its spikes from one engine.</summary>
    public NetworkSpec Spec { get; } = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 60 };

    public SpikeRecord[] ExpectedSpikes { get; private set; } = [];

    public string ExpectedHash { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        using (var engine = new CpuEngine(Spec, new EngineOptions { Threads = 1 }))
        {
            var result = engine.Run(Spec.TotalTicks);
            (ExpectedSpikes, ExpectedHash) = (result.Spikes, result.SpikeTrainHash);
        }

        _cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db") }, CancellationToken.None);
        _client = await NeuroMeshClient.ConnectAsync(new NeuroMeshClientOptions { Gateways = [Gateway], ClusterId = _cluster.ClusterId, ServiceId = _cluster.ClusterId });
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        System.IO.Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Writes the test spec to a file and returns its path.</summary>
    public string SpecFile(string name = "delta.json") => SpecFile(Spec, name);

    /// <summary>Writes <paramref name="spec"/> to a file named <paramref name="name"/> in the fixture's directory.</summary>
    public string SpecFile(NetworkSpec spec, string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, spec.ToJson());
        return path;
    }

    /// <summary>Runs <c>neuromesh</c> in this process against the cluster (its gateway and ids come first).</summary>
    public async Task<CliResult> Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = [.. args, "--gateway", Gateway, "--cluster-id", Cluster.ClusterId, "--service-id", Cluster.ClusterId];
        var code = await NeuroMeshCli.RunAsync(all, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
