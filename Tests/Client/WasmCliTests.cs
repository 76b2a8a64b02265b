using NeuroMesh.Agents.Wasm;
using NeuroMesh.Cli;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Agents;

namespace NeuroMesh.Tests.Client;

/// <summary><c>neuromesh agents deploy --wasm</c> against a real two-silo embedded cluster.</summary>
public sealed class WasmCliTests(ClientClusterFixture fixture) : IClassFixture<ClientClusterFixture>
{
    [Fact]
    public async Task Agents_deploy_uploads_binds_and_swaps_a_module_and_refuses_a_malformed_one_storing_nothing()
    {
        var v1 = Path.Combine(fixture.Directory, "counter.wasm");
        var v2 = Path.Combine(fixture.Directory, "counter-v2.wasm");
        await File.WriteAllBytesAsync(v1, WasmModuleBinaries.Counter);
        await File.WriteAllBytesAsync(v2, WasmModuleBinaries.CounterV2);
        var neuron = fixture.Client.Neuron(3100);
        await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("cli/wasm") });
        await fixture.Client.Region("cli/wasm").AddMember(3100);

        var deployed = await fixture.Cli("agents", "deploy", "--wasm", v1, "--neuron", "3100", "--json");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        var hash = WasmRuntime.HashOf(WasmModuleBinaries.Counter);
        Assert.Equal(hash, deployed.Json().GetProperty("module").GetProperty("hash").GetString());
        Assert.Equal("wasm:" + hash, (await neuron.Inspect()).Behaviour);

        var swapped = await fixture.Cli("agents", "deploy", "--wasm", v2, "--region", "cli/wasm", "--from", hash);
        Assert.True(swapped.ExitCode == 0, swapped.ToString());
        Assert.Contains("swapped          1 member(s) of cli/wasm, 0 skipped, 0 failed", swapped.Out, StringComparison.Ordinal);
        Assert.Equal("wasm:" + WasmRuntime.HashOf(WasmModuleBinaries.CounterV2), (await neuron.Inspect()).Behaviour);

        var bad = Path.Combine(fixture.Directory, "bad.wasm");
        await File.WriteAllBytesAsync(bad, WasmModuleBinaries.Malformed);
        var refused = await fixture.Cli("agents", "deploy", "--wasm", bad);
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("not a valid WebAssembly module", refused.Err, StringComparison.Ordinal);
        Assert.Null(await fixture.Client.DescribeWasmModule(WasmRuntime.HashOf(WasmModuleBinaries.Malformed)));
    }
}
