using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Persistence;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Simulation;

/// <summary>
/// A node process killed (SIGKILL) at random moments while a started run writes a snapshot and compacts its log at every
/// checkpoint: each restart opens the log, the run carries on from it, and at the end every logged checkpoint replays
/// from tick 0 to one engine's hash. A kill that lands between a compaction's state snapshot and its truncation, or
/// between a snapshot file and its event, must leave a log that opens and replays like any other.
/// </summary>
public sealed class SnapshotCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string Key = "crash-key-0123456789abcdef";
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-snapshot-crash-").FullName;

    [Fact]
    public async Task Kills_during_snapshots_and_compaction_leave_a_log_that_opens_carries_on_and_replays()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 20_000 }; // still running at the last kill
        var settings = new Dictionary<string, string>(NodeProcess.OwnCluster("crash", _dir))
        {
            ["NeuroMesh:Snapshots:EveryCheckpoints"] = "1", // a snapshot at every checkpoint,
            ["NeuroMesh:Snapshots:Keep"] = "1", // so every one drops the last and compacts the log
            ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
        };
        var random = new Random(11);
        NodeProcess? node = null;
        var ticks = new List<long>();
        try
        {
            for (var round = 0; round < 4; round++)
            {
                node = node is null ? await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120))
                    : await NodeProcess.RestartAsync(node, settings, TimeSpan.FromSeconds(120));
                using var http = Client(node);
                if (round == 0)
                {
                    Assert.True((await Post(http, "api/runs/crash/deploy", spec.ToJson())).IsSuccessStatusCode, node.Output);
                    Assert.True((await Post(http, "api/runs/crash/start", "{}")).IsSuccessStatusCode, node.Output);
                }

                // The status call activates the run's grain after a restart; a started run then carries on by itself. The kill
                // waits until it has logged a checkpoint since this start (so it lands in a running run, whatever the load),
                // then a random while longer.
                var start = await Tick(http, "crash");
                ticks.Add(start);
                await CarriesOnAsync(http, node, "crash", start, $"restart {round}");

                await Task.Delay(random.Next(100, 800));
                node.Kill();
                await node.DisposeAsync();
            }

            node = await NodeProcess.RestartAsync(node!, settings, TimeSpan.FromSeconds(120));
            await OpensCarriesOnAndReplaysAsync(node, "crash", spec, ticks);
        }
        finally
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(FailPoints.CompactAfterSnapshot)]
    [InlineData(FailPoints.SnapshotSavedBeforeLogged)]
    public async Task A_kill_pinned_between_two_writes_leaves_a_log_that_opens_carries_on_and_replays(string failpoint)
    {
        // The failpoint kills the node (SIGKILL) exactly between the two writes; with a snapshot at every checkpoint and
        // Keep = 1, the first snapshot's file is saved at the first checkpoint and the first compaction follows at the next.
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 20_000 };
        var settings = new Dictionary<string, string>(NodeProcess.OwnCluster("pinned", _dir))
        {
            ["NeuroMesh:Snapshots:EveryCheckpoints"] = "1",
            ["NeuroMesh:Snapshots:Keep"] = "1",
            ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
        };
        var node = await NodeProcess.StartAsync(new Dictionary<string, string>(settings) { [FailPoints.Variable] = failpoint }, TimeSpan.FromSeconds(120));
        try
        {
            using (var http = Client(node))
            {
                Assert.True((await Post(http, "api/runs/pinned/deploy", spec.ToJson())).IsSuccessStatusCode, node.Output);
                Assert.True((await Post(http, "api/runs/pinned/start", "{}")).IsSuccessStatusCode, node.Output);
            }

            await Eventually.True(() => node.HasExited, $"the failpoint {failpoint} to be reached (it kills the node)", TimeSpan.FromSeconds(90), () => node.Output);

            node.Kill(); // already gone: this waits until its output is read to the end, the failpoint's last line included
            Assert.Contains($"failpoint {failpoint}: killing this process", node.Output);
            await node.DisposeAsync();
            if (failpoint == FailPoints.CompactAfterSnapshot)
            {
                // The kill landed in the gap: the log's state snapshot is written and no event behind it was removed.
                await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = settings["NeuroMesh:DeltaLog:Path"] });
                var streams = new List<DeltaStreamInfo>();
                await foreach (var stream in store.ListStreamsAsync())
                {
                    streams.Add(stream);
                }

                var log = Assert.Single(streams, s => s.StreamId.EndsWith("/pinned", StringComparison.Ordinal));
                Assert.Equal(0, log.TruncatedThrough);
                Assert.True(log.SnapshotVersion > 0, $"the compaction's state snapshot must be written (stream {log})");
            }

            node = await NodeProcess.RestartAsync(node, settings, TimeSpan.FromSeconds(120));
            await OpensCarriesOnAndReplaysAsync(node, "pinned", spec, [0]);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// After the last restart: the run's log opened and the run carried on; paused, it holds one engine's spikes and hash at
    /// its tick, and replays from tick 0 (every checkpoint) and from its snapshot to that hash.
    /// </summary>
    private async Task OpensCarriesOnAndReplaysAsync(NodeProcess node, string runId, NeuroMesh.Network.NetworkSpec spec, List<long> ticks)
    {
        using var last = Client(node);
        if (ticks.Count == 1)
        {
            // One kill: the run must have carried on past where it stood when the node came back.
            ticks.Add(await Tick(last, runId));
            await CarriesOnAsync(last, node, runId, ticks[^1], "the restart");
        }

        using var paused = await Post(last, $"api/runs/{runId}/pause", "{}"); // it carried on once opened; hold it to compare
        var opened = await paused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(paused.IsSuccessStatusCode, opened.ToString());
        var tick = opened.GetProperty("tick").GetInt64();
        output.WriteLine($"ticks at each start: {string.Join(", ", ticks)}; paused after the last restart at {tick}");
        Assert.True(tick > ticks[^1], $"the run must carry on after the last kill (ticks at each start: {string.Join(", ", ticks)}, now {tick})");
        Assert.True(tick < spec.TotalTicks, "the run must still be running when the last kill lands");

        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var expected = engine.Run(tick);
        Assert.Equal((expected.Spikes.Length, expected.SpikeTrainHash), (opened.GetProperty("spikes").GetInt64(), opened.GetProperty("spikeTrainHash").GetString()));
        using var fromStart = await Post(last, $"api/runs/{runId}/replay", """{"toTick": -1, "fromSnapshot": false}""");
        var replay = await fromStart.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(fromStart.IsSuccessStatusCode, replay.ToString());
        Assert.Equal(opened.GetProperty("checkpoints").GetInt32(), replay.GetProperty("verified").GetArrayLength());
        Assert.Equal(expected.SpikeTrainHash, replay.GetProperty("spikeTrainHash").GetString());
        using var fromSnapshot = await Post(last, $"api/runs/{runId}/replay", "{}");
        Assert.Equal(expected.SpikeTrainHash, (await fromSnapshot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("spikeTrainHash").GetString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HttpClient Client(NodeProcess node)
    {
        var http = new HttpClient { BaseAddress = node.Http, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return http;
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string path, string json)
        => http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<long> Tick(HttpClient http, string runId)
        => (await http.GetFromJsonAsync<JsonElement>($"api/runs/{runId}")).GetProperty("tick").GetInt64();

    /// <summary>Waits until the run has gone past <paramref name="tick"/> by itself; a timeout carries the node's output.</summary>
    private static async Task CarriesOnAsync(HttpClient http, NodeProcess node, string runId, long tick, string after)
    {
        try
        {
            await Eventually.Until(() => Tick(http, runId), now => now > tick, $"the run to carry on past tick {tick} after {after}", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{node.Output}", e);
        }
    }

}
