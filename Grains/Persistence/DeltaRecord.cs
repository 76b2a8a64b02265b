namespace NeuroMesh.Persistence;

/// <summary>A delta as stored: its stream, its version (1-based, contiguous) and the delta itself.</summary>
/// <param name="StreamId">The stream the delta belongs to.</param>
/// <param name="Version">The delta's version: the stream's version right after it was applied.</param>
/// <param name="Type">The type tag given at append.</param>
/// <param name="Payload">The payload given at append; its checksum was verified when it was read.</param>
public sealed record DeltaRecord(string StreamId, long Version, string Type, ReadOnlyMemory<byte> Payload);
