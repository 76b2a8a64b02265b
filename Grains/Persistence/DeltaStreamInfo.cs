namespace NeuroMesh.Persistence;

/// <summary>Where a stream stands.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The version of its last delta (0 for a stream with no deltas).</param>
/// <param name="TruncatedThrough">Deltas up to and including this version were removed by truncation (0 when none were).</param>
/// <param name="SnapshotVersion">The version of its latest snapshot, or null when it has none.</param>
public sealed record DeltaStreamInfo(string StreamId, long Version, long TruncatedThrough, long? SnapshotVersion);
