using NeuroMesh.Agents;

namespace NeuroMesh.Neurons;

/// <summary>
/// One neuron (integer key = neuron id): its region and parameters, the behaviour bound to it by name, its agent card
/// and its outgoing synapse edits, all event-sourced in the delta log. While a neuron with a behaviour is active it is
/// hosted in its silo's agent mesh, where it exchanges spikes with co-located neurons over the fast path.
/// </summary>
/// <remarks>
/// Placement keeps every neuron of a region on one silo (<c>RegionAffinityPlacement</c>). A neuron that is not yet
/// configured is activated where it is first called; <see cref="Configure"/> records its region and, when that region
/// lives on another silo, lets the activation go so that the next call lands on the region's silo.
/// </remarks>
public interface INeuronGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the neuron's region and parameters. The region is fixed once set; parameters may change.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid, or it moves the neuron to another region.</exception>
    Task<NeuronInfo> Configure(NeuronConfig config);

    /// <summary>What the neuron is: region, parameters, behaviour, card and outgoing synapses.</summary>
    /// <exception cref="KeyNotFoundException">The neuron was never configured and is in no population.</exception>
    Task<NeuronInfo> Inspect();

    /// <summary>
    /// Binds the behaviour registered under <paramref name="behaviour"/>, or the deployed WebAssembly module named
    /// <c>wasm:</c> and its SHA-256 (<see cref="WasmModuleName"/>), and hosts the neuron in its silo's mesh.
    /// </summary>
    /// <exception cref="ArgumentException">No behaviour has that name (the message lists those that exist), no module with that hash was deployed, or the module is refused on this silo.</exception>
    /// <exception cref="KeyNotFoundException">The neuron is not configured.</exception>
    Task<NeuronInfo> BindBehaviour(string behaviour);

    /// <summary>
    /// Hot-swaps the neuron's WebAssembly behaviour for the deployed module <paramref name="hash"/> (SHA-256, or its
    /// <c>wasm:</c> name). A hosted neuron switches between two passes of its silo's mesh: every spike is handled by the
    /// old module or the new one, none is dropped by the swap. The state written with <c>state_put</c> is kept when the
    /// two modules' <c>state_version</c> are equal, and reset otherwise. Nothing changes when it throws.
    /// </summary>
    /// <exception cref="ArgumentException">The hash is malformed, no module with it was deployed, or the module is refused on this silo.</exception>
    /// <exception cref="InvalidOperationException">The neuron's behaviour is not a WebAssembly module (bind one first).</exception>
    /// <exception cref="KeyNotFoundException">The neuron is not configured.</exception>
    Task<WasmSwapResult> SwapWasmModule(string hash);

    /// <summary>Unbinds the behaviour and leaves the mesh; false when none was bound.</summary>
    Task<bool> UnbindBehaviour();

    /// <summary>
    /// Publishes the neuron's agent card in its region for discovery. The card's capabilities are merged with the bound
    /// behaviour's and its regions with the neuron's own.
    /// </summary>
    /// <exception cref="ArgumentException">The card names another neuron.</exception>
    /// <exception cref="KeyNotFoundException">The neuron is not configured.</exception>
    Task<AgentCard> Advertise(string name, IReadOnlyList<string>? capabilities = null);

    /// <summary>Removes the neuron's card from its region; false when it had none.</summary>
    Task<bool> Withdraw();

    /// <summary>Adds (or changes) the outgoing synapse to <paramref name="synapse"/>'s target.</summary>
    /// <exception cref="ArgumentException">The weight or delay is invalid, or the target is this neuron or the broadcast id.</exception>
    /// <exception cref="KeyNotFoundException">The neuron is not configured.</exception>
    Task<IReadOnlyList<OutgoingSynapse>> Connect(OutgoingSynapse synapse);

    /// <summary>Removes the outgoing synapse to <paramref name="target"/>; false when there was none.</summary>
    Task<bool> Disconnect(uint target);

    /// <summary>The outgoing synapses, by target id.</summary>
    Task<IReadOnlyList<OutgoingSynapse>> GetSynapses();

    /// <summary>Cards in <paramref name="scope"/>'s subtree (the root when null) with every one of <paramref name="capabilities"/>.</summary>
    Task<IReadOnlyList<AgentCard>> Discover(IReadOnlyList<string> capabilities, string? scope = null);

    /// <summary>Makes the hosted neuron fire in its mesh's next pass (its behaviour's <c>OnFire</c>).</summary>
    /// <exception cref="InvalidOperationException">No behaviour is bound, so the neuron is not hosted.</exception>
    Task Stimulate();

    /// <summary>Where the neuron runs and what its behaviour did: silo, activation, spikes fired and received, faults.</summary>
    Task<NeuronActivity> GetActivity();

    /// <summary>
    /// Appends the state deltas the bound behaviour recorded and that are not logged yet (the grain also does this every
    /// 100 ms and on deactivation), and returns how many state deltas this neuron has logged in all.
    /// </summary>
    Task<long> FlushState();

    /// <summary>
    /// Discards the bound behaviour's recorded state, logged and not yet logged, and records the reset in the log (what a
    /// supervisor does to restart the neuron from its initial state); a hosted behaviour is replaced by a fresh instance.
    /// Configuration, card and synapses stay.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    /// <exception cref="KeyNotFoundException">The neuron was never configured.</exception>
    Task ResetAgentState(string reason);
}
