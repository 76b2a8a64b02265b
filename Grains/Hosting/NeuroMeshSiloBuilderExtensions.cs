using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroMesh.Fabric;

namespace NeuroMesh.Hosting;

/// <summary>Wires NeuroMesh into an Orleans silo.</summary>
public static class NeuroMeshSiloBuilderExtensions
{
    /// <summary>
    /// Adds the silo's fast path: a <see cref="SpikeFabric"/> singleton laid out from the <c>NeuroMesh:Fabric</c>
    /// configuration section. Invalid settings stop the silo at start with a message that names the setting.
    /// </summary>
    public static ISiloBuilder AddNeuroMesh(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<FabricOptions>().Bind(configuration.GetSection(FabricOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FabricOptions>, FabricOptionsValidator>();
        builder.Services.AddSingleton(sp => new SpikeFabric(sp.GetRequiredService<IOptions<FabricOptions>>().Value.ToLayout()));
        return builder;
    }
}
