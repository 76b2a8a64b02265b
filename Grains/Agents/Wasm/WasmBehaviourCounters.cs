namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// One WebAssembly behaviour's accounting. Every spike handed to it is exactly one of: handled, trapped (the call that
/// trapped), dropped because the instance had trapped before, or dropped because its payload was over
/// <see cref="WasmAbi.MaxPayloadBytes"/>.
/// </summary>
/// <param name="SpikesHandled">Spikes whose <c>on_spike</c> call returned (or that a module without <c>on_spike</c> ignored).</param>
/// <param name="SpikesTrapped">Spikes whose <c>on_spike</c> call trapped (at most one: the instance stops).</param>
/// <param name="SpikesDroppedTrapped">Spikes that arrived after the instance had trapped, before its supervisor restarted it.</param>
/// <param name="SpikesDroppedOversize">Spikes whose payload was over the ABI's limit.</param>
/// <param name="Calls">Calls into the module (init, on_spike, on_fire, on_tick).</param>
/// <param name="LogLines">Lines the module logged.</param>
/// <param name="StateRefused">State writes refused (the state or the log's backlog was full).</param>
/// <param name="LogLinesDropped">Lines not logged because their call had logged 16 already.</param>
public readonly record struct WasmBehaviourCounters(
    long SpikesHandled, long SpikesTrapped, long SpikesDroppedTrapped, long SpikesDroppedOversize, long Calls, long LogLines, long StateRefused,
    long LogLinesDropped = 0)
{
    /// <summary>Every spike handed to the behaviour.</summary>
    public long Spikes => SpikesHandled + SpikesTrapped + SpikesDroppedTrapped + SpikesDroppedOversize;
}
