namespace NeuroMesh.Simulation;

/// <summary>
/// Where a run publishes its spikes for live consumers (the client's subscriptions, the gateway's SSE and WebSocket feeds):
/// one stream per run, id <c>StreamId.Create(SpikeTaps.Namespace, runId)</c>, on the stream provider <see cref="ProviderName"/>, which both silos and
/// clients register (<c>AddNeuroMesh</c>, <c>AddNeuroMeshClient</c>). Each item is a <see cref="SpikeTapBatch"/> covering the
/// ticks one advance of the run simulated. A tap is a view, not the record: a consumer that subscribes late sees only what
/// comes after; the record of a run is its log and its spike-train hash.
/// </summary>
public static class SpikeTaps
{
    /// <summary>The stream provider's name.</summary>
    public const string ProviderName = "neuromesh-taps";

    /// <summary>The stream namespace of run taps.</summary>
    public const string Namespace = "run-spikes";
}
