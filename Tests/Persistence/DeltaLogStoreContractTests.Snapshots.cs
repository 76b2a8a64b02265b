using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>Snapshots and the explicit truncation they allow.</summary>
public abstract partial class DeltaLogStoreContractTests
{
    [SkippableFact]
    public async Task The_latest_snapshot_is_stored_and_read_back()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));
        Assert.Null(await Store.ReadSnapshotAsync("s"));

        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(2, new byte[] { 2, 2 }));
        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(5, new byte[] { 5, 5, 5 }));

        var snapshot = await Store.ReadSnapshotAsync("s");
        Assert.Equal(5, snapshot!.Version);
        Assert.Equal(new byte[] { 5, 5, 5 }, snapshot.Data.ToArray());
        Assert.Equal(5, (await Store.GetStreamAsync("s"))!.SnapshotVersion);
    }

    [SkippableFact]
    public async Task A_snapshot_that_is_older_beyond_the_stream_or_of_no_stream_is_refused()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));
        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(4, new byte[] { 4 }));

        Assert.Contains("older than the stored one at version 4", (await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSnapshotAsync("s", new DeltaSnapshot(3, new byte[] { 3 })))).Message);
        Assert.Contains("beyond the stream's version 5", (await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSnapshotAsync("s", new DeltaSnapshot(6, new byte[] { 6 })))).Message);
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSnapshotAsync("none", new DeltaSnapshot(0, new byte[] { 0 })))).Message);
        Assert.Equal(4, (await Store.ReadSnapshotAsync("s"))!.Version);
    }

    [SkippableFact]
    public async Task Truncation_needs_a_covering_snapshot_and_then_removes_exactly_the_prefix()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 6));
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.TruncateAsync("s", 3));
        Assert.Contains("needs a snapshot", none.Message);
        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(2, new byte[] { 2 }));
        Assert.Contains("the latest is at version 2", (await Assert.ThrowsAsync<InvalidOperationException>(() => Store.TruncateAsync("s", 3))).Message);
        Assert.Equal(6, (await Store.ReadAllAsync("s")).Count);

        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(3, new byte[] { 3 }));
        Assert.Equal(3, await Store.TruncateAsync("s", 3));
        Assert.Equal(0, await Store.TruncateAsync("s", 3));

        var e = await Assert.ThrowsAsync<DeltaLogTruncatedException>(async () => await Store.ReadAllAsync("s", 1));
        Assert.Equal(("s", 1L, 3L), (e.StreamId, e.FromVersion, e.TruncatedThrough));
        Assert.Equal([4L, 5, 6], (await Store.ReadAllAsync("s", 4)).Select(r => r.Version));
        Assert.Equal(new DeltaStreamInfo("s", 6, 3, 3), await Store.GetStreamAsync("s"));

        // The log goes on after truncation, and the arguments are checked.
        await Store.AppendAsync("s", 6, TestDeltas.Batch(7, 1));
        Assert.Contains("beyond the stream's version 7", (await Assert.ThrowsAsync<ArgumentException>(() => Store.TruncateAsync("s", 8))).Message);
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<ArgumentException>(() => Store.TruncateAsync("none", 1))).Message);
    }
}
