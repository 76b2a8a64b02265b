using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Agents;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Regions;
using NeuroMesh.Supervision;

namespace NeuroMesh.Client;

/// <summary>
/// The typed entry point to a NeuroMesh cluster: simulation runs, regions, neurons and agent discovery over the cluster's
/// grains. <see cref="ConnectAsync"/> starts its own Orleans client; an application that already has one (wired by
/// <c>AddNeuroMeshClient</c>) wraps its <see cref="IClusterClient"/> instead.
/// </summary>
public sealed class NeuroMeshClient : IAsyncDisposable
{
    private readonly IHost? _host;

    /// <summary>Wraps a started client (for example one from an application's host, wired by <c>AddNeuroMeshClient</c>).</summary>
    public NeuroMeshClient(IClusterClient cluster)
    {
        Cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
    }

    private NeuroMeshClient(IHost host)
    {
        _host = host;
        Cluster = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The Orleans client underneath.</summary>
    public IClusterClient Cluster { get; }

    /// <summary>
    /// Connects to the cluster's gateways (<paramref name="options"/>; by default the local silo node's, 127.0.0.1:30000),
    /// trying <see cref="NeuroMeshClientOptions.ConnectAttempts"/> times <see cref="NeuroMeshClientOptions.ConnectRetryDelayMs"/> apart.
    /// </summary>
    /// <param name="options">Where the cluster is; null for the defaults.</param>
    /// <param name="configure">More client wiring (for example ADO.NET clustering: see <c>AddNeuroMeshClient</c>'s clustering hook).</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <exception cref="NeuroMeshConnectionException">No gateway answered; the message names the endpoints and the attempts.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static async Task<NeuroMeshClient> ConnectAsync(NeuroMeshClientOptions? options = null, Action<IClientBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        options ??= new NeuroMeshClientOptions();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.AddNeuroMeshClient(options);
            configure?.Invoke(client);
        });
        var host = builder.Build();
        var clock = Stopwatch.StartNew();
        try
        {
            await host.StartAsync(cancellationToken);
            return new NeuroMeshClient(host);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var filter = host.Services.GetRequiredService<GatewayRetryFilter>();
            host.Dispose();
            throw new NeuroMeshConnectionException(options.DescribeEndpoints(), Math.Max(1, filter.Failures), clock.Elapsed, e);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>The simulation run <paramref name="runId"/> (nothing is called until you use it).</summary>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    public SimulationRun Run(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return new SimulationRun(Cluster, runId);
    }

    /// <summary>The region at <paramref name="path"/> (such as <c>cortex/language</c>).</summary>
    /// <exception cref="FormatException">The path is not a region path.</exception>
    public RegionHandle Region(string path) => new(Cluster, RegionPath.Parse(path));

    /// <summary>The neuron <paramref name="id"/>.</summary>
    public ClusterNeuron Neuron(uint id) => new(Cluster, id);

    /// <summary>The supervisor <paramref name="id"/> (see docs/supervision.md for its API).</summary>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    public ISupervisorGrain Supervisor(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Cluster.GetGrain<ISupervisorGrain>(id);
    }

    /// <summary>
    /// Builds the supervision tree <paramref name="spec"/>'s <c>supervision</c> section declares (supervisors configured,
    /// children added in order, parents attached); deploying it again changes nothing. Returns the supervisors, roots first.
    /// </summary>
    public Task<IReadOnlyList<string>> DeploySupervision(NetworkSpec spec) => SupervisionDeployer.DeployAsync(Cluster, spec);

    /// <summary>
    /// Uploads a WebAssembly module to the cluster's module store, content-addressed by the SHA-256 of its bytes and kept in
    /// the delta log, so every silo (also one that joins later) can run it. Uploading the same bytes again changes nothing.
    /// Bind it with <see cref="ClusterNeuron.BindWasmModule"/> or swap it onto a region with <see cref="RegionHandle.SwapWasmModule"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The module is refused (malformed, over the size limit, an import outside the ABI, another ABI version); nothing is stored.</exception>
    public Task<WasmModuleInfo> DeployWasmModule(byte[] module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(module));
        return Cluster.GetGrain<IWasmModuleGrain>(hash).Store(module);
    }

    /// <summary>The deployed module with SHA-256 <paramref name="hash"/>, or null when none was deployed.</summary>
    /// <exception cref="ArgumentException">The hash is not 64 hex digits.</exception>
    public Task<WasmModuleInfo?> DescribeWasmModule(string hash) => Cluster.GetGrain<IWasmModuleGrain>(WasmModuleName.Normalize(hash)).Describe();

    /// <summary>Registers an agent's card in its first region (the card must name at least one).</summary>
    /// <exception cref="ArgumentException">The card names no region.</exception>
    public Task<AgentCard> RegisterAgent(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Regions.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"Agent card '{card.Name}' names no region; give it the region it lives in.", nameof(card));
        }

        return new RegionHandle(Cluster, card.Regions[0]).RegisterCard(card);
    }

    /// <summary>Agents in <paramref name="within"/>'s subtree (the root by default) with all (or any) of <paramref name="capabilities"/>.</summary>
    /// <exception cref="ArgumentException">No capability, or an invalid capability name.</exception>
    /// <exception cref="KeyNotFoundException">Nothing was ever recorded in <paramref name="within"/>.</exception>
    public Task<IReadOnlyList<AgentCard>> FindAgents(IReadOnlyList<string> capabilities, string within = "/", CapabilityMatch match = CapabilityMatch.All)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (capabilities.Count == 0)
        {
            throw new ArgumentException("Agent discovery needs at least one capability.", nameof(capabilities));
        }

        return Region(within).FindByCapability(capabilities, match);
    }

    /// <summary>Stops the client this facade started (a wrapped client is left to its owner).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            try
            {
                await _host.StopAsync(TimeSpan.FromSeconds(5));
            }
            finally
            {
                _host.Dispose();
            }
        }
    }
}
