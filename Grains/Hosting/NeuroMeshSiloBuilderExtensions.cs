using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using System.Net;
using NeuroMesh.Cluster;
using NeuroMesh.Membership;
using Orleans.Configuration;
using NeuroMesh.Fabric;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Snapshots;
using NeuroMesh.Placement;
using NeuroMesh.Simulation;
using NeuroMesh.Telemetry;
using NeuroMesh.Supervision;
using Orleans.Hosting;
using Orleans.Streams;

namespace NeuroMesh.Hosting;

/// <summary>Wires NeuroMesh into an Orleans silo.</summary>
public static class NeuroMeshSiloBuilderExtensions
{
    /// <summary>
    /// Adds the silo's fast path (a <see cref="SpikeFabric"/> laid out from <c>NeuroMesh:Fabric</c>), its delta log
    /// (an <see cref="IDeltaLogStore"/> from <c>NeuroMesh:DeltaLog</c>, SQLite by default, and the
    /// <see cref="DeltaLogGrainOptions.ProviderName"/> log-consistency provider that <see cref="DeltaLogGrain{TState, TEvent}"/>
    /// grains use) and its cross-silo transport (memory streams named <see cref="SpikeStreams.ProviderName"/>, tuned from
    /// <c>NeuroMesh:Cluster</c>, the per-silo <see cref="FabricIngressGrain"/>, the silo-pinned placement, and the free-running
    /// mesh path: the <see cref="SiloOutbox"/> and the <see cref="MeshIngress"/> registered for <see cref="SpikeBatch.MeshChannel"/>).
    /// Invalid settings stop the silo at start with a message that names the setting. It also adds the silo's agent mesh
    /// (<see cref="SiloAgentMesh"/>, where neuron grains with a behaviour run), the <see cref="BehaviourRegistry"/> built from
    /// every <see cref="AddNeuronBehaviour{TBehaviour}"/> (plus the built-in <see cref="RelayBehaviour"/>), and
    /// <see cref="RegionAffinityPlacement"/>, and the <see cref="ArraySegmentOfByteCodec"/> that lets memory streams carry each batch's
    /// payload as one block instead of byte by byte. Telemetry: the silo's <see cref="SiloMetrics"/> (read by
    /// <see cref="NeuroMeshTelemetry"/>'s observable instruments while the silo is active) and Orleans' activity propagation,
    /// so a traced client call stays one trace across silos; and the <see cref="SupervisionWatchdog"/> that counts spikes lost
    /// with a dead silo and wakes the supervisors.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>NeuroMesh:Cluster</c> setting is invalid (checked here, because the stream provider is built from it), or a <c>NeuroMesh:Gpu</c> one.</exception>
    public static ISiloBuilder AddNeuroMesh(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<FabricOptions>().Bind(configuration.GetSection(FabricOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FabricOptions>, FabricOptionsValidator>();
        builder.Services.AddSingleton(sp => new SpikeFabric(sp.GetRequiredService<IOptions<FabricOptions>>().Value.ToLayout()));

        builder.Services.AddOptions<DeltaLogGrainOptions>().Bind(configuration.GetSection(DeltaLogGrainOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeltaLogGrainOptions>, DeltaLogOptionsValidator>();
        builder.Services.AddSingleton<IDeltaLogStore>(sp => CreateStore(sp.GetRequiredService<IOptions<DeltaLogGrainOptions>>().Value));
        builder.AddCustomStorageBasedLogConsistencyProvider(DeltaLogGrainOptions.ProviderName);
        builder.Services.AddOptions<SnapshotOptions>().Bind(configuration.GetSection(SnapshotOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SnapshotOptions>, SnapshotOptionsValidator>();
        builder.Services.AddSingleton<ISnapshotStore>(sp => CreateSnapshotStore(
            sp.GetRequiredService<IOptions<SnapshotOptions>>().Value, sp.GetRequiredService<IOptions<DeltaLogGrainOptions>>().Value));

        var cluster = new MeshClusterOptions();
        var section = configuration.GetSection(MeshClusterOptions.SectionName);
        foreach (var key in new[] { nameof(MeshClusterOptions.LockstepTransport), nameof(MeshClusterOptions.MeshTransport) })
        {
            if (section[key] is { } transport && !Enum.TryParse<CrossSiloTransport>(transport, ignoreCase: true, out _))
            {
                // Checked before binding: the binder's own error would name .NET types, not the choices.
                throw new OptionsValidationException(MeshClusterOptions.SectionName, typeof(MeshClusterOptions),
                    [$"{MeshClusterOptions.SectionName}:{key} must be Push, Calls or Streams (got '{transport}')."]);
            }
        }

        section.Bind(cluster);

        if (cluster.Problem() is { } problem)
        {
            throw new OptionsValidationException(MeshClusterOptions.SectionName, typeof(MeshClusterOptions), [problem]);
        }

        builder.Services.AddSingleton(Options.Create(cluster));

        var admission = new AdmissionOptions();
        configuration.GetSection(AdmissionOptions.SectionName).Bind(admission);
        if (admission.Problem() is { } admissionProblem)
        {
            throw new OptionsValidationException(AdmissionOptions.SectionName, typeof(AdmissionOptions), [admissionProblem]);
        }

        builder.Services.AddSingleton(Options.Create(admission));

        var gpu = new GpuWorkerOptions();
        configuration.GetSection(GpuWorkerOptions.SectionName).Bind(gpu);
        if (gpu.Problem() is { } gpuProblem)
        {
            throw new OptionsValidationException(GpuWorkerOptions.SectionName, typeof(GpuWorkerOptions), [gpuProblem]);
        }

        builder.Services.AddSingleton(Options.Create(gpu));
        builder.Services.AddSingleton<Simulation.GpuWorker>();
        ArraySegmentOfByteCodec.AddTo(builder.Services);
        builder.Services.AddSingleton<FabricIngressRouter>();
        builder.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.AddPlacementDirector<SiloIngressPlacement, SiloPinnedPlacementDirector>();
        builder.Services.AddSingleton<MeshIngress>();
        builder.Services.AddSingleton<IMeshTransport>(sp => cluster.MeshTransport switch
        {
            CrossSiloTransport.Calls => new GrainCallMeshTransport(sp.GetRequiredService<IGrainFactory>()),
            CrossSiloTransport.Streams => new StreamMeshTransport(sp, sp.GetRequiredService<IGrainFactory>()),
            _ => new PushMeshTransport(new GrainCallMeshTransport(sp.GetRequiredService<IGrainFactory>())),
        });
        builder.Services.AddSingleton(sp => new SiloOutbox(
            sp.GetRequiredService<IMeshTransport>(), cluster, MeshSenderId.Of(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress)));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MeshLifecycle>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InProcessSiloLifecycle>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SupervisionWatchdog>();
        builder.AddPlacementDirector<RegionAffinityPlacement, RegionAffinityPlacementDirector>();
        builder.Services.AddSingleton<SiloMetrics>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloMetrics>());
        builder.AddActivityPropagation();
        builder.Services.AddSingleton(sp =>
        {
            // Created when first needed (it takes the mesh ingress), and then handed to the silo's metrics, which must not
            // create it themselves.
            var mesh = new SiloAgentMesh(
                sp.GetRequiredService<SpikeFabric>(),
                sp.GetRequiredService<SiloOutbox>(),
                sp.GetRequiredService<MeshIngress>(),
                sp.GetRequiredService<ILocalSiloDetails>(),
                sp.GetRequiredService<IClusterMembershipService>(),
                sp.GetRequiredService<IOptions<FabricOptions>>().Value.MaxAgents);
            sp.GetRequiredService<SiloMetrics>().Agents = mesh;
            return mesh;
        });
        builder.Services.AddSingleton(new BehaviourBinding(RelayBehaviour.Name, _ => new RelayBehaviour()));
        builder.Services.AddOptions<WasmOptions>().Bind(configuration.GetSection(WasmOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WasmOptions>, WasmOptionsValidator>();
        builder.Services.AddSingleton(sp => new WasmRuntime(sp.GetRequiredService<IOptions<WasmOptions>>().Value, sp.GetService<Microsoft.Extensions.Logging.ILogger<WasmRuntime>>()));
        builder.Services.AddSingleton<WasmModuleCatalog>();
        builder.Services.AddSingleton(sp =>
        {
            var registry = new BehaviourRegistry();
            foreach (var binding in sp.GetServices<BehaviourBinding>())
            {
                registry.Register(binding.Name, binding.Factory);
            }

            return registry;
        });
        var backoff = new SpikeStreamBackoff();
        builder.AddMemoryStreams(SpikeStreams.ProviderName, streams =>
        {
            streams.ConfigurePartitioning(cluster.Queues);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(cluster.PollPeriodMs);
                o.BatchContainerBatchSize = cluster.DeliveryBatches;
            }));
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.FromSeconds(cluster.CacheSeconds);
                o.DataMaxAgeInCache = TimeSpan.FromSeconds(cluster.CacheSeconds);
            }));
            backoff.ApplyTo(streams);
        });
        builder.AddMemoryStreams(SpikeTaps.ProviderName, backoff.ApplyTo);
        builder.AddMemoryGrainStorage("PubSubStore");
        return builder;
    }

    /// <summary>
    /// Joins the cluster described by <c>NeuroMesh:Clustering</c> (see <see cref="NodeClusteringOptions"/>): by default a
    /// single silo with localhost clustering on ports 11111 and 30000, cluster and service id <c>dev</c>; with
    /// <c>Provider=Postgres</c>, Orleans' ADO.NET clustering on PostgreSQL, over the schema NeuroMesh migrates first
    /// (<see cref="PostgresClusteringSchema"/>). With <c>NeuroMesh:Tls:Enabled</c> (see <see cref="TlsSettings"/>) every
    /// silo-to-silo and gateway connection is TLS with certificates from configuration.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>NeuroMesh:Clustering</c> setting is invalid.</exception>
    public static ISiloBuilder UseNeuroMeshClustering(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new NodeClusteringOptions();
        configuration.GetSection(NodeClusteringOptions.SectionName).Bind(options);
        if (options.Problem() is { } problem)
        {
            throw new OptionsValidationException(NodeClusteringOptions.SectionName, typeof(NodeClusteringOptions), [problem]);
        }

        if (TlsSettings.From(configuration, TlsSettings.SiloSectionName) is { Enabled: true } tls)
        {
            builder.UseTls(tls.Apply);
        }

        // Set outright for either provider: Orleans' UseLocalhostClustering applies ids equal to its own defaults ("dev")
        // only when none is set, and ClusterOptions already holds "default" then, so the node ran as "default" and refused
        // every client that asked for "dev".
        builder.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
        if (!options.IsPostgres)
        {
            return builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort, options.Primary(), options.ServiceId, options.ClusterId);
        }

        var connectionString = options.ConnectionString!;
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => ActivatorUtilities.CreateInstance<PostgresClusteringMigration>(sp, connectionString));
        builder.ConfigureEndpoints(
            options.Advertised(),
            options.SiloPort,
            options.GatewayPort,
            listenOnAnyHostAddress: !string.IsNullOrEmpty(options.AdvertisedIp));
        return builder.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresClusteringSchema.Invariant;
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>Registers <typeparamref name="TBehaviour"/> under <paramref name="name"/> for neuron grains to bind (built with its services).</summary>
    public static ISiloBuilder AddNeuronBehaviour<TBehaviour>(this ISiloBuilder builder, string name)
        where TBehaviour : class, INeuronBehaviour
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new BehaviourBinding(name, sp => sp is null ? Activator.CreateInstance<TBehaviour>() : ActivatorUtilities.CreateInstance<TBehaviour>(sp)));
        return builder;
    }

    /// <summary>Registers a behaviour factory under <paramref name="name"/> for neuron grains to bind.</summary>
    public static ISiloBuilder AddNeuronBehaviour(this ISiloBuilder builder, string name, Func<IServiceProvider?, INeuronBehaviour> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new BehaviourBinding(name, factory));
        return builder;
    }

    private static ISnapshotStore CreateSnapshotStore(SnapshotOptions options, DeltaLogGrainOptions deltaLog)
        => options.Backend.ToLowerInvariant() switch
        {
            "postgres" => new PostgresSnapshotStore(deltaLog.ConnectionString!, PostgresDeltaLogOptions.DefaultSchema),
            "auto" when SnapshotOptionsValidator.IsPostgres(deltaLog) => new PostgresSnapshotStore(deltaLog.ConnectionString!, PostgresDeltaLogOptions.DefaultSchema),
            _ => new DirectorySnapshotStore(options.DirectoryFor(deltaLog)),
        };

    private static IDeltaLogStore CreateStore(DeltaLogGrainOptions options)
        => options.Backend.Equals("postgres", StringComparison.OrdinalIgnoreCase)
            ? new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = options.ConnectionString! })
            : new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = options.Path });
}
