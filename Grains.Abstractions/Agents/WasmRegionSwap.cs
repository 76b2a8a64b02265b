using System.Collections.Immutable;

namespace NeuroMesh.Agents;

/// <summary>What a hot swap onto a region did: the members it switched, and those it left alone and why.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Agents.WasmRegionSwap")]
public sealed record WasmRegionSwap
{
    /// <summary>The region.</summary>
    [Id(0)] public string Region { get; init; } = string.Empty;

    /// <summary>The module's behaviour name, <c>wasm:</c> and its hash.</summary>
    [Id(1)] public string To { get; init; } = string.Empty;

    /// <summary>The members that run the new module now.</summary>
    [Id(2)] public ImmutableArray<WasmSwapResult> Swapped { get; init; } = [];

    /// <summary>Members left as they were, each with the reason (no WebAssembly behaviour, another module than the one asked, already on it).</summary>
    [Id(3)] public ImmutableSortedDictionary<uint, string> Skipped { get; init; } = ImmutableSortedDictionary<uint, string>.Empty;

    /// <summary>Members whose swap failed (each with the error); they still run what they ran.</summary>
    [Id(4)] public ImmutableSortedDictionary<uint, string> Failed { get; init; } = ImmutableSortedDictionary<uint, string>.Empty;
}
