using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroMesh.Fabric;
using NeuroMesh.Persistence;

namespace NeuroMesh.Hosting;

/// <summary>Wires NeuroMesh into an Orleans silo.</summary>
public static class NeuroMeshSiloBuilderExtensions
{
    /// <summary>
    /// Adds the silo's fast path (a <see cref="SpikeFabric"/> laid out from <c>NeuroMesh:Fabric</c>) and its delta log
    /// (an <see cref="IDeltaLogStore"/> from <c>NeuroMesh:DeltaLog</c>, SQLite by default, and the
    /// <see cref="DeltaLogGrainOptions.ProviderName"/> log-consistency provider that <see cref="DeltaLogGrain{TState, TEvent}"/>
    /// grains use). Invalid settings stop the silo at start with a message that names the setting.
    /// </summary>
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
        return builder;
    }

    private static IDeltaLogStore CreateStore(DeltaLogGrainOptions options)
        => options.Backend.Equals("postgres", StringComparison.OrdinalIgnoreCase)
            ? new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = options.ConnectionString! })
            : new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = options.Path });
}
