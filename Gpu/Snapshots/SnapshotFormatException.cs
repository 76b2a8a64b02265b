namespace NeuroMesh.Engine.Snapshots;

/// <summary>A snapshot file that cannot be read: truncated, tampered with, of a newer format, or of another network.</summary>
public sealed class SnapshotFormatException(string message, Exception? inner = null) : Exception(message, inner);
