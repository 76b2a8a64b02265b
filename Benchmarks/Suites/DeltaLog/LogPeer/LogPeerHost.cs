using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroMesh.Hosting;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

/// <summary>
/// One in-process silo that hosts both peers: NeuroMesh's delta-log provider over a SQLite file (wired by
/// <c>AddNeuroMesh</c>, as a real silo has it) and Orleans' <c>LogStorage</c> provider over Orleans' in-memory grain
/// storage (<c>Microsoft.Orleans.Persistence.Memory</c>: no durability; it still serializes the whole state on each write).
/// </summary>
internal sealed class LogPeerHost : IAsyncDisposable
{
    /// <summary>The name of Orleans' LogStorage log-consistency provider.</summary>
    public const string LogStorageProvider = "LogStorage";

    /// <summary>The name of the grain storage under it.</summary>
    public const string GrainStorage = "LogStorageMemory";

    private readonly IHost _host;
    private readonly string _directory;

    private LogPeerHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
    }

    /// <summary>The SQLite file of the delta log.</summary>
    public string DatabasePath => Path.Combine(_directory, "deltalog.db");

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The grain-storage serializer the in-memory storage writes the log with (the silo's default).</summary>
    public string StorageSerializer => _host.Services.GetService<Orleans.Storage.IGrainStorageSerializer>()?.GetType().Name ?? "none registered";

    /// <summary>Starts the silo; the delta log lives in a fresh temporary directory, removed on dispose.</summary>
    public static async Task<LogPeerHost> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"neuromesh-logpeer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NeuroMesh:Fabric:Tier"] = "Light",
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(directory, "deltalog.db"),
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Critical);
        var clusterId = $"logpeer-bench-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var ports = LoopbackPorts.Free(2);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(ports[0], ports[1], null, clusterId, clusterId)
            .AddNeuroMesh(builder.Configuration)
            .AddMemoryGrainStorage(GrainStorage)
            .AddLogStorageBasedLogConsistencyProvider(LogStorageProvider));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }

        return new LogPeerHost(host, directory);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
