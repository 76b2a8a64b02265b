namespace NeuroMesh.Persistence;

/// <summary>What a confirmed append wrote: the versions its deltas hold.</summary>
/// <param name="StreamId">The stream appended to.</param>
/// <param name="FirstVersion">The version of the batch's first delta.</param>
/// <param name="LastVersion">The version of the batch's last delta (the stream's version right after the append).</param>
/// <param name="Duplicate">True when the batch had already been appended (a retry): nothing new was written and the
/// versions are those of the original append.</param>
public sealed record AppendResult(string StreamId, long FirstVersion, long LastVersion, bool Duplicate);
