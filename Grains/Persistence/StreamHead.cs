namespace NeuroMesh.Persistence;

/// <summary>A stream's row: its numeric key, version and truncation point.</summary>
internal sealed record StreamHead(long Key, long Version, long TruncatedThrough);
