using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroMesh.Hosting;

/// <summary>
/// N real Orleans silos in this process, clustered over loopback (development clustering, the first silo is the
/// primary), each wired by <see cref="NeuroMeshSiloBuilderExtensions.AddNeuroMesh"/> from the same configuration:
/// appsettings.json next to the program, then environment variables (<c>NeuroMesh__DeltaLog__Path</c>, …), then
/// the settings given to <see cref="StartAsync"/>. Ports are taken free from the OS, so it runs beside a long-running silo.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly List<int> _gatewayPorts = [];
    private readonly HashSet<int> _stopped = [];

    private EmbeddedCluster()
    {
    }

    /// <summary>A grain factory of the first silo.</summary>
    public IGrainFactory Grains => _hosts[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>The cluster id (and service id) the silos run with; a client needs it with a gateway port.</summary>
    public string ClusterId { get; private set; } = string.Empty;

    /// <summary>The silos' gateway ports on 127.0.0.1, primary first.</summary>
    public IReadOnlyList<int> GatewayPorts => _gatewayPorts;

    /// <summary>The silos' service providers, primary first.</summary>
    public IReadOnlyList<IServiceProvider> Services => [.. _hosts.Select(h => h.Services)];

    /// <summary>Starts <paramref name="silos"/> silos and returns once all of them are active members.</summary>
    /// <param name="silos">How many silos, at least 1.</param>
    /// <param name="settings">Configuration that overrides appsettings.json and the environment (for example a delta-log path).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="configure">More silo configuration, applied to every silo after AddNeuroMesh (tests: messaging options).</param>
    /// <exception cref="TimeoutException">Not every silo became active within 60 s.</exception>
    public static async Task<EmbeddedCluster> StartAsync(int silos, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, Action<ISiloBuilder>? configure = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(silos);
        var cluster = new EmbeddedCluster();
        try
        {
            var ports = LoopbackPorts.Free(2 * silos);
            var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
            var clusterId = $"embedded-{Environment.ProcessId}-{Guid.NewGuid():N}";
            cluster.ClusterId = clusterId;
            for (var i = 0; i < silos; i++)
            {
                var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                builder.Configuration
                    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                    .AddEnvironmentVariables()
                    .AddInMemoryCollection(settings);
                builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Critical).AddFilter("Polly", LogLevel.Error)
                    .AddConfiguration(builder.Configuration.GetSection("Logging"));
                var (siloPort, gatewayPort) = (ports[2 * i], ports[(2 * i) + 1]);
                cluster._gatewayPorts.Add(gatewayPort);
                builder.UseOrleans(silo =>
                {
                    silo.UseLocalhostClustering(siloPort, gatewayPort, i == 0 ? null : primary, clusterId, clusterId)
                        .AddNeuroMesh(builder.Configuration);
                    configure?.Invoke(silo);
                });
                var host = builder.Build();
                cluster._hosts.Add(host);
                await host.StartAsync(cancellationToken);
            }

            var membership = cluster._hosts[0].Services.GetRequiredService<IClusterMembershipService>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) < silos)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"only {membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active)} of {silos} silos became active within 60 s");
                }

                await Task.Delay(50, cancellationToken);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops silo <paramref name="index"/> (not the primary, which holds the development membership table) and waits
    /// until the others no longer count it as active: a lost silo, for runs placed on it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is the primary's, out of range, or already stopped.</exception>
    public async Task StopSiloAsync(int index)
    {
        if (index < 1 || index >= _hosts.Count || _stopped.Contains(index))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"silo {index} is not a running secondary (silos 1..{_hosts.Count - 1}; stopped: {string.Join(", ", _stopped)})");
        }

        var address = _hosts[index].Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await _hosts[index].StopAsync(TimeSpan.FromSeconds(10));
        _hosts[index].Dispose();
        _stopped.Add(index);
        var membership = _hosts[0].Services.GetRequiredService<IClusterMembershipService>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (membership.CurrentSnapshot.Members.TryGetValue(address, out var member) && member.Status == SiloStatus.Active)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"silo {address} still counts as active 60 s after it stopped");
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Secondaries first, so the primary (which holds the development membership table) goes last.
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            if (_stopped.Contains(i))
            {
                continue;
            }

            try
            {
                await _hosts[i].StopAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                _hosts[i].Dispose();
            }
        }

        _hosts.Clear();
    }
}
