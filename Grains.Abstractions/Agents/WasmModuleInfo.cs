using System.Collections.Immutable;

namespace NeuroMesh.Agents;

/// <summary>A WebAssembly module stored in the cluster's module store (content-addressed in the delta log).</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Agents.WasmModuleInfo")]
public sealed record WasmModuleInfo
{
    /// <summary>The SHA-256 of the binary, lower-case hex: the module's identity.</summary>
    [Id(0)] public string Hash { get; init; } = string.Empty;

    /// <summary>The name neurons bind to run it: <c>wasm:</c> and the hash.</summary>
    public string Behaviour => WasmModuleName.Prefix + Hash;

    /// <summary>The binary's size.</summary>
    [Id(1)] public int SizeBytes { get; init; }

    /// <summary>The module's <c>state_version</c> (0 when it exports none); a hot swap keeps the state only between equal versions.</summary>
    [Id(2)] public int StateVersion { get; init; }

    /// <summary>The optional exports it has (<c>init</c>, <c>on_spike</c>, <c>on_fire</c>, <c>on_tick</c>, <c>payload_buffer</c>, <c>state_version</c>).</summary>
    [Id(3)] public ImmutableArray<string> Exports { get; init; } = [];
}
