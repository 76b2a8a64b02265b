namespace NeuroMesh.Agents.Wasm;

/// <summary>A <see cref="WasmRuntime"/>'s accounting, read at one moment.</summary>
/// <param name="Compiled">Modules compiled (each distinct binary once).</param>
/// <param name="CacheHits">Loads served from the cache without compiling.</param>
/// <param name="Refused">Loads refused (malformed, against the ABI, over a limit).</param>
/// <param name="InstancesCreated">Behaviour instances created.</param>
/// <param name="InstancesLive">Behaviour instances created and not yet disposed or trapped.</param>
/// <param name="Traps">Instances stopped by a trap.</param>
public readonly record struct WasmRuntimeCounters(long Compiled, long CacheHits, long Refused, long InstancesCreated, long InstancesLive, long Traps);
