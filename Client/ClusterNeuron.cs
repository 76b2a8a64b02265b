using NeuroMesh.Agents;
using NeuroMesh.Neurons;

namespace NeuroMesh.Client;

/// <summary>One neuron of the cluster: its configuration, its outgoing synapses and its agent card.</summary>
public sealed class ClusterNeuron
{
    private readonly INeuronGrain _grain;

    internal ClusterNeuron(IGrainFactory grains, uint id)
    {
        Id = id;
        _grain = grains.GetGrain<INeuronGrain>(id);
    }

    /// <summary>The neuron id.</summary>
    public uint Id { get; }

    /// <summary>Sets the neuron's region (fixed once set) and parameters.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid (the message names the field), or it moves the neuron.</exception>
    public Task<NeuronInfo> Configure(NeuronConfig config) => _grain.Configure(config);

    /// <summary>Region, parameters, behaviour, card and outgoing synapses.</summary>
    /// <exception cref="KeyNotFoundException">The neuron was never configured and is in no population.</exception>
    public Task<NeuronInfo> Inspect() => _grain.Inspect();

    /// <summary>Adds or changes the synapse to <paramref name="target"/>; returns the outgoing synapses.</summary>
    /// <exception cref="ArgumentException">The weight or delay is invalid, or the target is this neuron.</exception>
    public Task<IReadOnlyList<OutgoingSynapse>> Connect(uint target, double weight, double delayMs = 0) => _grain.Connect(new OutgoingSynapse(target, weight, delayMs));

    /// <summary>Removes the synapse to <paramref name="target"/>; false when there was none.</summary>
    public Task<bool> Disconnect(uint target) => _grain.Disconnect(target);

    /// <summary>The outgoing synapses, by target id.</summary>
    public Task<IReadOnlyList<OutgoingSynapse>> Synapses() => _grain.GetSynapses();

    /// <summary>Binds a registered behaviour, which makes the neuron an agent hosted in its silo's mesh.</summary>
    public Task<NeuronInfo> BindBehaviour(string behaviour) => _grain.BindBehaviour(behaviour);

    /// <summary>Binds the deployed WebAssembly module with SHA-256 <paramref name="hash"/> (its <c>wasm:</c> name).</summary>
    /// <exception cref="ArgumentException">The hash is malformed or names no deployed module.</exception>
    public Task<NeuronInfo> BindWasmModule(string hash) => _grain.BindBehaviour(WasmModuleName.Of(hash));

    /// <summary>Hot-swaps the neuron's WebAssembly behaviour for the deployed module <paramref name="hash"/> (see <see cref="INeuronGrain.SwapWasmModule"/>).</summary>
    /// <exception cref="ArgumentException">The hash is malformed or names no deployed module.</exception>
    /// <exception cref="InvalidOperationException">The neuron does not run a WebAssembly module.</exception>
    public Task<WasmSwapResult> SwapWasmModule(string hash) => _grain.SwapWasmModule(hash);

    /// <summary>Publishes the neuron's agent card in its region.</summary>
    public Task<AgentCard> Advertise(string name, IReadOnlyList<string>? capabilities = null) => _grain.Advertise(name, capabilities);

    /// <summary>Removes the neuron's card; false when it had none.</summary>
    public Task<bool> Withdraw() => _grain.Withdraw();
}
