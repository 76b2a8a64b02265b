namespace NeuroMesh.Snapshots;

/// <summary>
/// Where runs' engine snapshots (<see cref="Engine.Snapshots.RunSnapshot"/> files) are kept, by run and tick. A save is
/// atomic: a crash leaves the old file or the new one, never a part. The run's delta log references a snapshot only
/// after its save completed (<see cref="Simulation.Events.RunSnapshotted"/>), and checks its SHA-256 on every load.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>The backend, for status and logs (for example "directory data/snapshots").</summary>
    string Description { get; }

    /// <summary>Stores the snapshot of <paramref name="runId"/> at <paramref name="tick"/>, replacing one already there.</summary>
    Task SaveAsync(string runId, long tick, byte[] snapshot, CancellationToken cancellationToken = default);

    /// <summary>The snapshot of <paramref name="runId"/> at <paramref name="tick"/>, or null when there is none.</summary>
    Task<byte[]?> LoadAsync(string runId, long tick, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot of <paramref name="runId"/> at <paramref name="tick"/> (nothing when there is none).</summary>
    Task DeleteAsync(string runId, long tick, CancellationToken cancellationToken = default);

    /// <summary>The ticks of <paramref name="runId"/>'s stored snapshots, ascending.</summary>
    Task<IReadOnlyList<long>> ListAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Bytes stored for <paramref name="runId"/> (every snapshot of it).</summary>
    Task<long> SizeAsync(string runId, CancellationToken cancellationToken = default);
}
