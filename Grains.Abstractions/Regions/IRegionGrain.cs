using NeuroMesh.Agents;

namespace NeuroMesh.Regions;

/// <summary>
/// One region (string key = its path, such as <c>cortex/language</c>; <c>/</c> is the root): its member neurons, the
/// populations and projections of the spec slice it was given, and the agent cards of its subtree for discovery.
/// Event-sourced in the delta log.
/// </summary>
/// <remarks>
/// A card registered in <c>a/b</c> is also indexed by <c>a</c> and by the root, so a discovery query on any ancestor finds
/// it with one call. Every method first checks the key: a key that is not a valid region path is an
/// <see cref="ArgumentException"/> naming it.
/// </remarks>
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Adds a stand-alone neuron to the region; false when it already was a member.</summary>
    Task<bool> AddMember(uint neuronId);

    /// <summary>Removes a stand-alone neuron from the region; false when it was not a member.</summary>
    Task<bool> RemoveMember(uint neuronId);

    /// <summary>
    /// Gives the region a slice of a NetworkSpec: the named populations (neuron ids as the whole spec assigns them) and
    /// every projection that starts or ends in one of them.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid, a population is unknown, or one is already in a region slice here.</exception>
    Task<RegionInfo> AssignSlice(string specJson, IReadOnlyList<string> populations);

    /// <summary>The region's members, populations, projections, child regions and card count.</summary>
    /// <exception cref="KeyNotFoundException">Nothing was ever recorded for this region.</exception>
    Task<RegionInfo> Inspect();

    /// <summary>True when <paramref name="neuronId"/> is a stand-alone member or in one of the region's populations.</summary>
    Task<bool> Contains(uint neuronId);

    /// <summary>Registers (or replaces) a card owned by this region; the card's regions gain this region.</summary>
    Task<AgentCard> RegisterCard(AgentCard card);

    /// <summary>Removes the card this region owns for <paramref name="neuronId"/>; false when it owns none.</summary>
    Task<bool> UnregisterCard(uint neuronId);

    /// <summary>Cards in this region's subtree with all (or any) of <paramref name="capabilities"/>, by neuron id.</summary>
    /// <exception cref="ArgumentException">The list is empty or a capability name is invalid.</exception>
    /// <exception cref="KeyNotFoundException">Nothing was ever recorded for this region.</exception>
    Task<IReadOnlyList<AgentCard>> FindByCapability(IReadOnlyList<string> capabilities, CapabilityMatch match = CapabilityMatch.All);

    /// <summary>Every card in this region's subtree, or in the subtree of <paramref name="within"/> when it lies inside this region.</summary>
    /// <exception cref="KeyNotFoundException">Nothing was ever recorded for this region.</exception>
    Task<IReadOnlyList<AgentCard>> FindInSubtree(string? within = null);

    /// <summary>
    /// Hot-swaps the deployed WebAssembly module <paramref name="hash"/> onto this region's stand-alone members that run a
    /// WebAssembly behaviour (only those running <paramref name="fromHash"/> when it is given); each member switches as
    /// <see cref="Neurons.INeuronGrain.SwapWasmModule"/> does. The module is checked first: an unknown hash changes no member.
    /// </summary>
    /// <exception cref="ArgumentException">A hash is malformed, or no module with <paramref name="hash"/> was deployed.</exception>
    Task<WasmRegionSwap> SwapWasmModule(string hash, string? fromHash = null);

    /// <summary>Called by a child region on its first record, so that this region knows its subtree.</summary>
    Task AddChild(string childPath);

    /// <summary>Called by a descendant region to index (or, with <paramref name="card"/> null, drop) a card it owns.</summary>
    Task IndexCard(string ownerPath, uint neuronId, AgentCard? card);
}
