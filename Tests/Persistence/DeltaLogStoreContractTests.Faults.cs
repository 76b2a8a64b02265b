using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>Faults and races: a retrying caller never duplicates or loses a delta; a split brain resolves to one winner.</summary>
public abstract partial class DeltaLogStoreContractTests
{
    [SkippableFact]
    public async Task A_retrying_writer_under_injected_faults_neither_duplicates_nor_loses_a_delta()
    {
        var faulty = new FaultInjectingDeltaLogStore(Store, new DeltaLogFaultOptions { FailureBeforeWrite = 0.25, FailureAfterWrite = 0.25, Seed = 42 });
        long version = 0;
        for (var b = 0; b < 150; b++)
        {
            var result = await faulty.AppendWithRetryAsync("s", version, TestDeltas.Batch((b * 3) + 1, 3), maxAttempts: 50, firstDelay: TimeSpan.Zero);
            Assert.Equal(version + 3, result.LastVersion);
            version = result.LastVersion;
        }

        Assert.True(faulty.FailuresBeforeWrite > 10, $"only {faulty.FailuresBeforeWrite} failures before write were injected");
        Assert.True(faulty.FailuresAfterWrite > 10, $"only {faulty.FailuresAfterWrite} lost acknowledgements were injected");
        var records = await Store.ReadAllAsync("s");
        Assert.Equal(450, records.Count);
        Assert.Equal(Enumerable.Range(1, 450).Select(n => TestDeltas.Payload(n)), records.Select(r => r.Payload.ToArray()));
    }

    [SkippableFact]
    public async Task Latency_and_a_lost_acknowledgement_on_a_snapshot_are_survived_by_retrying()
    {
        var faulty = new FaultInjectingDeltaLogStore(Store, new DeltaLogFaultOptions { Latency = TimeSpan.FromMilliseconds(2), FailureAfterWrite = 1 });
        await Store.AppendAsync("s", 0, TestDeltas.Batch(1, 2));

        await Assert.ThrowsAsync<DeltaLogTransientException>(() => faulty.AppendAsync("s", 2, TestDeltas.Batch(3, 1)));
        await Assert.ThrowsAsync<DeltaLogTransientException>(() => faulty.WriteSnapshotAsync("s", new DeltaSnapshot(3, new byte[] { 3 })));

        // Both writes happened although their callers were told otherwise; reading through the decorator sees them.
        Assert.Equal(3, (await faulty.GetStreamAsync("s"))!.SnapshotVersion);
        Assert.Equal(3, (await faulty.ReadAllAsync("s")).Count);
        Assert.Equal(2, faulty.FailuresAfterWrite);
    }

    [SkippableFact]
    public async Task Concurrent_retrying_writers_with_lost_acknowledgements_each_land_every_batch_exactly_once()
    {
        await using var second = await OpenStoreAsync();
        IDeltaLogStore[] stores =
        [
            new FaultInjectingDeltaLogStore(Store, new DeltaLogFaultOptions { FailureBeforeWrite = 0.2, FailureAfterWrite = 0.2, Seed = 7 }),
            new FaultInjectingDeltaLogStore(second, new DeltaLogFaultOptions { FailureBeforeWrite = 0.2, FailureAfterWrite = 0.2, Seed = 8 }),
        ];
        const int Batches = 40;

        await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                // The batch (and its id) is kept across conflicts: reloading the version and sending it again is safe.
                var batch = TestDeltas.Batch((b * 2) + 1, 2, $"writer{w}");
                while (true)
                {
                    var version = (await store.GetStreamAsync("shared"))?.Version ?? 0;
                    try
                    {
                        await store.AppendWithRetryAsync("shared", version, batch, maxAttempts: 50, firstDelay: TimeSpan.Zero);
                        break;
                    }
                    catch (DeltaLogVersionConflictException)
                    {
                    }
                }
            }
        })));

        var records = await Store.ReadAllAsync("shared");
        Assert.Equal(Enumerable.Range(1, Batches * 4).Select(v => (long)v), records.Select(r => r.Version));
        for (var w = 0; w < 2; w++)
        {
            var mine = records.Select(r => r.Text()).Where(t => t.StartsWith($"writer{w}:", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(1, Batches * 2).Select(n => System.Text.Encoding.UTF8.GetString(TestDeltas.Payload(n, $"writer{w}"))), mine);
        }
    }

    [SkippableFact]
    public async Task Two_writers_racing_on_one_stream_resolve_to_one_winner_and_one_conflict()
    {
        await using var other = await OpenStoreAsync();
        IDeltaLogStore[] writers = [Store, other];
        var winners = new List<int>();
        for (var round = 0; round < 20; round++)
        {
            long version = round * 2;
            using var start = new Barrier(2);
            var attempts = writers.Select((store, w) => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await store.AppendAsync("contested", version, TestDeltas.Batch((round * 2) + 1, 2, $"writer{w}"));
            })).ToArray();
            await Task.WhenAll(attempts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            var won = attempts.Where(t => t.IsCompletedSuccessfully).ToList();
            var winner = Assert.Single(won);
            var lost = Assert.IsType<DeltaLogVersionConflictException>(attempts.Single(t => t.IsFaulted).Exception!.InnerException);
            Assert.Equal((version, version + 2), (lost.ExpectedVersion, lost.ActualVersion));
            winners.Add(Array.IndexOf(attempts, winner));
        }

        var records = await Store.ReadAllAsync("contested");
        Assert.Equal(40, records.Count);
        for (var round = 0; round < 20; round++)
        {
            Assert.StartsWith($"writer{winners[round]}:", records[round * 2].Text(), StringComparison.Ordinal);
            Assert.StartsWith($"writer{winners[round]}:", records[(round * 2) + 1].Text(), StringComparison.Ordinal);
        }
    }
}
