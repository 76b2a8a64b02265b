using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using NeuroMesh.Agents;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Agents;

/// <summary>One in-process silo wired by AddNeuroMesh, with WebAssembly behaviours registered from WAT source.</summary>
public sealed class WasmClusterFixture : IAsyncLifetime
{
    public const string Counter = "wasm.counter";

    public const string Finder = "wasm.finder";

    public const string Refused = "wasm.refused";

    public const string Malformed = "wasm.malformed";

    public const string Sink = "wasm.test.sink";

    private static readonly string RunId = Guid.NewGuid().ToString("N");

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["db"] = Path.Combine(Path.GetTempPath(), $"neuromesh-wasm-{RunId}.db");
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task DisposeAsync() => TestClusters.StopAndDeleteAsync(Cluster, $"neuromesh-wasm-{RunId}.db*");

    /// <summary>Keeps the latest 8-byte payload each sink neuron received (a counter's count).</summary>
    public sealed class SinkBehaviour : INeuronBehaviour
    {
        public static ConcurrentDictionary<uint, long> Latest { get; } = new();

        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
            var payload = neuron.ReadPayload(spike);
            if (payload.Length == 8)
            {
                Latest[neuron.Id] = BinaryPrimitives.ReadInt64LittleEndian(payload);
            }
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = siloBuilder.Configuration["db"],
            }).Build();
            siloBuilder.AddNeuroMesh(settings)
                .AddWasmBehaviour(Counter, Wasmtime.Module.ConvertText(WasmModules.CounterThatTrapsOnFire), ["count"])
                .AddWasmBehaviour(Finder, Wasmtime.Module.ConvertText(WasmModules.Finder))
                .AddWasmBehaviour(Refused, Wasmtime.Module.ConvertText(WasmModules.UndeclaredImport))
                .AddWasmBehaviour(Malformed, [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0xFF, 0xFF])
                .AddNeuronBehaviour<SinkBehaviour>(Sink);
        }
    }
}
