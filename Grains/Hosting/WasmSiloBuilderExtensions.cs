using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Neurons;

namespace NeuroMesh.Hosting;

/// <summary>Registers WebAssembly behaviours on a silo.</summary>
public static class WasmSiloBuilderExtensions
{
    /// <summary>
    /// Registers a WebAssembly module under <paramref name="name"/> for neuron grains to bind, like a C# behaviour. The silo's
    /// <see cref="WasmRuntime"/> (limits from <c>NeuroMesh:Wasm</c>) compiles it once, when the first neuron binds it, and
    /// refuses it then if it breaks the ABI; each bound neuron gets its own instance, whose <c>find</c> searches the silo
    /// mesh's directory.
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="name">The behaviour name neuron grains bind.</param>
    /// <param name="module">The module's binary (or use <see cref="WasmRuntime.LoadText"/> yourself for text).</param>
    /// <param name="capabilities">What its agents advertise for discovery.</param>
    public static ISiloBuilder AddWasmBehaviour(this ISiloBuilder builder, string name, byte[] module, IReadOnlyCollection<string>? capabilities = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(module);
        var bytes = module.ToArray();
        builder.Services.AddSingleton(new BehaviourBinding(name, services =>
        {
            if (services is null)
            {
                throw new InvalidOperationException($"WebAssembly behaviour '{name}' needs the silo's services (its WasmRuntime).");
            }

            var runtime = services.GetRequiredService<WasmRuntime>();
            var directory = services.GetService<SiloAgentMesh>()?.Cortex.Directory;
            return runtime.CreateBehaviour(runtime.Load(bytes), capabilities, directory);
        }));
        return builder;
    }
}
