using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>Torn and corrupt records, made by editing the database directly: each is reported with its stream and version.</summary>
public abstract partial class DeltaLogStoreContractTests
{
    private string StreamKey => $"(SELECT id FROM {Table("streams")} WHERE name = @name)";

    [SkippableFact]
    public async Task A_flipped_payload_byte_is_reported_with_stream_and_version_and_nothing_after_it_is_returned()
    {
        await Store.AppendAsync("neuron/7", 0, TestDeltas.Batch(1, 5));
        var payload = (byte[])(await ScalarSqlAsync($"SELECT payload FROM {Table("deltas")} WHERE stream = {StreamKey} AND version = 3", ("name", "neuron/7")))!;
        payload[2] ^= 0x01;
        await ExecuteSqlAsync($"UPDATE {Table("deltas")} SET payload = @payload WHERE stream = {StreamKey} AND version = 3", ("name", "neuron/7"), ("payload", payload));

        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () =>
        {
            await foreach (var record in Store.ReadAsync("neuron/7"))
            {
                seen.Add(record.Version);
            }
        });
        Assert.Equal(("neuron/7", 3L), (e.StreamId, e.Version));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Equal([1L, 2], seen);
    }

    [SkippableFact]
    public async Task A_changed_type_tag_is_detected()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 3));
        await ExecuteSqlAsync($"UPDATE {Table("deltas")} SET type = 'Forged' WHERE stream = {StreamKey} AND version = 2", ("name", "s"));

        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () => await Store.ReadAllAsync("s"));
        Assert.Equal(2, e.Version);
    }

    [SkippableFact]
    public async Task Payloads_swapped_between_versions_are_detected()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 4));
        var two = await ScalarSqlAsync($"SELECT payload FROM {Table("deltas")} WHERE stream = {StreamKey} AND version = 2", ("name", "s"));
        var three = await ScalarSqlAsync($"SELECT payload FROM {Table("deltas")} WHERE stream = {StreamKey} AND version = 3", ("name", "s"));
        var crcThree = await ScalarSqlAsync($"SELECT crc FROM {Table("deltas")} WHERE stream = {StreamKey} AND version = 3", ("name", "s"));
        await ExecuteSqlAsync($"UPDATE {Table("deltas")} SET payload = @p, crc = @c WHERE stream = {StreamKey} AND version = 2", ("name", "s"), ("p", three!), ("c", crcThree!));
        await ExecuteSqlAsync($"UPDATE {Table("deltas")} SET payload = @p WHERE stream = {StreamKey} AND version = 3", ("name", "s"), ("p", two!));

        // Version 2 now carries version 3's payload with version 3's own valid checksum: the version in the checksum catches it.
        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () => await Store.ReadAllAsync("s"));
        Assert.Equal(2, e.Version);
    }

    [SkippableFact]
    public async Task A_missing_record_is_reported_not_skipped()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));
        await ExecuteSqlAsync($"DELETE FROM {Table("deltas")} WHERE stream = {StreamKey} AND version = 3", ("name", "s"));

        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () => await Store.ReadAllAsync("s"));
        Assert.Equal(("s", 3L), (e.StreamId, e.Version));
        Assert.Contains("missing", e.Message);
    }

    [SkippableFact]
    public async Task A_torn_tail_is_reported_not_skipped()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));
        await ExecuteSqlAsync($"DELETE FROM {Table("deltas")} WHERE stream = {StreamKey} AND version >= 4", ("name", "s"));

        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () => await Store.ReadAllAsync("s"));
        Assert.Equal(4, e.Version);
    }

    [SkippableFact]
    public async Task A_corrupt_snapshot_is_reported_with_its_stream_and_version()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));
        await Store.WriteSnapshotAsync("s", new DeltaSnapshot(4, new byte[] { 1, 2, 3, 4 }));
        await ExecuteSqlAsync($"UPDATE {Table("snapshots")} SET data = @data WHERE stream = {StreamKey}", ("name", "s"), ("data", new byte[] { 1, 2, 3, 5 }));

        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(() => Store.ReadSnapshotAsync("s"));
        Assert.Equal(("s", 4L), (e.StreamId, e.Version));
        Assert.Contains("snapshot checksum mismatch", e.Message);
    }
}
