namespace NeuroMesh.Engine.Sharding;

/// <summary>Which shard of which plan an engine simulates (see <see cref="EngineOptions.Shard"/>).</summary>
/// <param name="Plan">The plan, shared by every shard of the run.</param>
/// <param name="Index">This engine's shard, in [0, <see cref="ShardPlan.ShardCount"/>).</param>
public sealed record class ShardAssignment(ShardPlan Plan, int Index);
