namespace NeuroMesh.Engine.Snapshots;

/// <summary>One engine-state section of a snapshot file: neurons [Lo, Hi), stored in <paramref name="Bytes"/> bytes.</summary>
public sealed record SnapshotSection(int Lo, int Hi, long Bytes);
