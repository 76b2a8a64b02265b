using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Client;

/// <summary>One region of the cluster: its members, its spec slice and the agent cards of its subtree.</summary>
public sealed class RegionHandle
{
    private readonly IRegionGrain _grain;

    internal RegionHandle(IGrainFactory grains, RegionPath path)
    {
        Path = path;
        _grain = grains.GetGrain<IRegionGrain>(path.ToString());
    }

    /// <summary>The region's path.</summary>
    public RegionPath Path { get; }

    /// <summary>Adds a stand-alone neuron; false when it already was a member.</summary>
    public Task<bool> AddMember(uint neuronId) => _grain.AddMember(neuronId);

    /// <summary>Removes a stand-alone neuron; false when it was not a member.</summary>
    public Task<bool> RemoveMember(uint neuronId) => _grain.RemoveMember(neuronId);

    /// <summary>Gives the region the named populations of a spec (and every projection that touches them).</summary>
    /// <exception cref="ArgumentException">The spec is invalid, a population is unknown or already in a slice here.</exception>
    public Task<RegionInfo> AssignSlice(string specJson, IReadOnlyList<string> populations) => _grain.AssignSlice(specJson, populations);

    /// <summary>The region's members, populations, projections, children and card counts.</summary>
    /// <exception cref="KeyNotFoundException">Nothing was ever recorded for this region.</exception>
    public Task<RegionInfo> Inspect() => _grain.Inspect();

    /// <summary>Registers (or replaces) an agent card owned by this region.</summary>
    public Task<AgentCard> RegisterCard(AgentCard card) => _grain.RegisterCard(card);

    /// <summary>Removes this region's card for <paramref name="neuronId"/>; false when it owns none.</summary>
    public Task<bool> UnregisterCard(uint neuronId) => _grain.UnregisterCard(neuronId);

    /// <summary>Cards in the subtree with all (or any) of <paramref name="capabilities"/>, by neuron id.</summary>
    public Task<IReadOnlyList<AgentCard>> FindByCapability(IReadOnlyList<string> capabilities, CapabilityMatch match = CapabilityMatch.All)
        => _grain.FindByCapability(capabilities, match);

    /// <summary>Every card in the subtree.</summary>
    public Task<IReadOnlyList<AgentCard>> FindInSubtree() => _grain.FindInSubtree();

    /// <summary>
    /// Hot-swaps the deployed module <paramref name="hash"/> onto the members running a WebAssembly behaviour (only those
    /// running <paramref name="fromHash"/> when given); each switches between two passes of its mesh, keeping its state
    /// when the modules' <c>state_version</c> match.
    /// </summary>
    /// <exception cref="ArgumentException">A hash is malformed or names no deployed module; no member was changed.</exception>
    public Task<WasmRegionSwap> SwapWasmModule(string hash, string? fromHash = null) => _grain.SwapWasmModule(hash, fromHash);
}
