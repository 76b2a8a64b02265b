namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>What the receiving silo recorded: spikes, latency percentiles in ms (bucket upper bounds), and frames the call path rejected.</summary>
[GenerateSerializer, Immutable]
public sealed record LatencyStats([property: Id(0)] long Count, [property: Id(1)] double P50Ms, [property: Id(2)] double P99Ms, [property: Id(3)] double P999Ms, [property: Id(4)] long Rejected);
