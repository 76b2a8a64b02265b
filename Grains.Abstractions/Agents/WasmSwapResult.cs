namespace NeuroMesh.Agents;

/// <summary>What a hot swap did to one neuron.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Agents.WasmSwapResult")]
public sealed record WasmSwapResult
{
    /// <summary>The neuron.</summary>
    [Id(0)] public uint Neuron { get; init; }

    /// <summary>The behaviour it ran before (a module's <c>wasm:</c> name, or a registered WebAssembly behaviour's name).</summary>
    [Id(1)] public string From { get; init; } = string.Empty;

    /// <summary>The behaviour it runs now: <c>wasm:</c> and the new module's hash.</summary>
    [Id(2)] public string To { get; init; } = string.Empty;

    /// <summary>True when the state was kept (the two modules' <c>state_version</c> are equal); false when it was reset.</summary>
    [Id(3)] public bool StateKept { get; init; }

    /// <summary>True when the neuron was hosted and switched in its silo's mesh between two passes; false when it was not hosted (it starts with the new module when it is).</summary>
    [Id(4)] public bool Hosted { get; init; }
}
