namespace NeuroMesh.Simulation;

/// <summary>
/// A shard's engine state copied at a checkpoint (<see cref="IRegionShardGrain.ExportState"/>): its index, its neurons and
/// the tick (the run's grain times the stall itself, call included). The encoded bytes follow from
/// <see cref="IRegionShardGrain.TakeExport"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("neuromesh.shard-state-export")]
public sealed record ShardStateExport([property: Id(0)] int Index, [property: Id(1)] int Lo, [property: Id(2)] int Hi, [property: Id(3)] long Tick);
