using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>
/// What every backend must do, written once: each backend's test class derives from this and supplies the database.
/// </summary>
public abstract partial class DeltaLogStoreContractTests : IAsyncLifetime
{
    private IDeltaLogStore? _store;

    /// <summary>The store under test (opened before each test).</summary>
    protected IDeltaLogStore Store => _store!;

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Opens another store instance on the same database (a restart, or a second writer).</summary>
    protected abstract Task<IDeltaLogStore> OpenStoreAsync();

    /// <summary>Runs SQL directly against the database, bypassing the store (to corrupt it). Parameters are named @name.</summary>
    protected abstract Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters);

    /// <summary>Reads one value directly from the database.</summary>
    protected abstract Task<object?> ScalarSqlAsync(string sql, params (string Name, object Value)[] parameters);

    /// <summary>The qualified name of one of the store's tables.</summary>
    protected abstract string Table(string name);

    [SkippableFact]
    public async Task Appends_get_contiguous_versions_and_read_back_in_order()
    {
        var first = await Store.AppendAsync("neuron/1", 0, TestDeltas.Batch(1, 3));
        var second = await Store.AppendAsync("neuron/1", 3, TestDeltas.Batch(4, 2));

        Assert.Equal(new AppendResult("neuron/1", 1, 3, false), first);
        Assert.Equal(new AppendResult("neuron/1", 4, 5, false), second);
        var records = await Store.ReadAllAsync("neuron/1");
        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.Version));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("neuron/1", records[i].StreamId);
            Assert.Equal(TestDeltas.For(i + 1).Type, records[i].Type);
            Assert.Equal(TestDeltas.Payload(i + 1), records[i].Payload.ToArray());
        }
    }

    [SkippableFact]
    public async Task A_read_from_a_version_returns_that_version_and_the_rest()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 5));

        Assert.Equal([4L, 5], (await Store.ReadAllAsync("s", 4)).Select(r => r.Version));
        Assert.Empty(await Store.ReadAllAsync("s", 6));
        Assert.Empty(await Store.ReadAllAsync("never-written"));
        Assert.Null(await Store.GetStreamAsync("never-written"));
    }

    [SkippableFact]
    public async Task A_long_stream_reads_back_whole_across_pages()
    {
        const int Total = 10_000;
        for (var v = 0; v < Total; v += 1000)
        {
            await Store.AppendAsync("long", v, TestDeltas.Batch(v + 1, 1000));
        }

        var expected = 1L;
        await foreach (var record in Store.ReadAsync("long"))
        {
            Assert.Equal(expected, record.Version);
            Assert.Equal(TestDeltas.Payload((int)expected), record.Payload.ToArray());
            expected++;
        }

        Assert.Equal(Total + 1, expected);
    }

    [SkippableFact]
    public async Task A_stale_expected_version_is_a_conflict_that_names_stream_expected_and_actual()
    {
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 3));

        var stale = await Assert.ThrowsAsync<DeltaLogVersionConflictException>(() => Store.AppendAsync("s", 1, TestDeltas.Batch(9, 1)));
        Assert.Equal(("s", 1L, 3L), (stale.StreamId, stale.ExpectedVersion, stale.ActualVersion));
        Assert.Contains("'s'", stale.Message);
        Assert.Contains("expected version 1", stale.Message);
        Assert.Contains("at version 3", stale.Message);

        var recreate = await Assert.ThrowsAsync<DeltaLogVersionConflictException>(() => Store.AppendAsync("s", 0, TestDeltas.Batch(9, 1)));
        Assert.Equal(3, recreate.ActualVersion);
        var ahead = await Assert.ThrowsAsync<DeltaLogVersionConflictException>(() => Store.AppendAsync("new", 4, TestDeltas.Batch(9, 1)));
        Assert.Equal(0, ahead.ActualVersion);

        Assert.Equal(3, (await Store.ReadAllAsync("s")).Count);
        Assert.Null(await Store.GetStreamAsync("new"));
    }

    [SkippableFact]
    public async Task A_retried_batch_is_acknowledged_again_and_never_written_twice()
    {
        var batch = TestDeltas.Batch(1, 3);
        await Store.AppendAsync("s", 0, batch);

        var retry = await Store.AppendAsync("s", 0, batch);
        Assert.Equal(new AppendResult("s", 1, 3, Duplicate: true), retry);

        await Store.AppendAsync("s", 3, TestDeltas.Batch(4, 2));
        var late = await Store.AppendAsync("s", 5, batch);
        Assert.Equal(new AppendResult("s", 1, 3, Duplicate: true), late);

        Assert.Equal([1L, 2, 3, 4, 5], (await Store.ReadAllAsync("s")).Select(r => r.Version));
    }

    [SkippableFact]
    public async Task A_batch_id_reused_for_other_content_is_refused()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync("s", 0, new DeltaBatch(id, [TestDeltas.For(1)]));

        var e = await Assert.ThrowsAsync<DeltaBatchMismatchException>(() => Store.AppendAsync("s", 0, new DeltaBatch(id, [TestDeltas.For(2)])));
        Assert.Equal(id, e.BatchId);
        Assert.Contains("different content", e.Message);
        Assert.Single(await Store.ReadAllAsync("s"));
    }

    [SkippableFact]
    public async Task Bad_input_gets_a_clear_error()
    {
        var batch = TestDeltas.Batch(1, 1);
        Assert.Contains("stream id", (await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync("", 0, batch))).Message);
        Assert.Contains("stream id", (await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync("a\nb", 0, batch))).Message);
        Assert.Contains("stream id", (await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new string('s', 513), 0, batch))).Message);
        Assert.Contains("expected version", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.AppendAsync("s", -1, batch))).Message);
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.AppendAsync("s", 0, null!));
        Assert.Contains("versions start at 1", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.ReadAllAsync("s", 0))).Message);
        Assert.Contains("1 to 100000 deltas", Assert.Throws<ArgumentException>(() => DeltaBatch.Create()).Message);
        Assert.Contains("idempotency id", Assert.Throws<ArgumentException>(() => new DeltaBatch(Guid.Empty, [TestDeltas.For(1)])).Message);
        Assert.Contains("delta 1 of the batch is null", Assert.Throws<ArgumentException>(() => DeltaBatch.Create(TestDeltas.For(1), null!)).Message);
        Assert.Contains("delta type", Assert.Throws<ArgumentException>(() => new Delta(" ", Array.Empty<byte>())).Message);
        Assert.Contains("snapshot version", Assert.Throws<ArgumentOutOfRangeException>(() => new DeltaSnapshot(-1, Array.Empty<byte>())).Message);
        Assert.Null(await Store.GetStreamAsync("s"));
    }

    [SkippableFact]
    public async Task Streams_are_listed_in_order_with_version_truncation_and_snapshot()
    {
        await Store.AppendAsync("b", 0, TestDeltas.Batch(1, 2));
        await Store.AppendAsync("a", 0, TestDeltas.Batch(1, 4));
        await Store.AppendAsync("c", 0, TestDeltas.Batch(1, 1));
        await Store.WriteSnapshotAsync("a", new DeltaSnapshot(3, new byte[] { 1, 2, 3 }));
        await Store.TruncateAsync("a", 2);

        var streams = new List<DeltaStreamInfo>();
        await foreach (var info in Store.ListStreamsAsync())
        {
            streams.Add(info);
        }

        Assert.Equal(
            [new("a", 4, 2, 3), new("b", 2, 0, null), new DeltaStreamInfo("c", 1, 0, null)],
            streams);
    }
}
