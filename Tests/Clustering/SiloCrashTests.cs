using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Membership;
using NeuroMesh.Tests.Persistence;
using NeuroMesh.Tests.Silo;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace NeuroMesh.Tests.Clustering;

/// <summary>
/// A silo process killed with SIGKILL while grains on it append to their delta logs under load: after it restarts, every
/// delta whose confirmation reached the caller is in the log, in order, with no gap, and every grain replays cleanly.
/// </summary>
public sealed class SiloCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Neurons = 24;

    /// <summary>How long a call may wait for its answer: a call cut by the kill fails after this and is retried.</summary>
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-crash-").FullName;

    [SkippableFact]
    public async Task Killing_a_postgres_clustered_silo_mid_append_loses_no_confirmed_delta()
    {
        var database = await TestPostgres.NewDatabaseAsync();
        var cluster = $"crash-{Guid.NewGuid():N}";
        var settings = PostgresClusteringTests.Settings(database, cluster);
        await using var survivor = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));
        var victim = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));
        using var client = await PostgresClusteringTests.ConnectAsync(database, cluster);
        await using var store = new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = database });
        await KillMidAppendAndCheckAsync(client.Services.GetRequiredService<IClusterClient>(), store, victim, () => NodeProcess.RestartAsync(victim, settings, TimeSpan.FromSeconds(120)));
        await client.StopAsync();
    }

    [Fact]
    public async Task Killing_a_silo_mid_append_on_a_shared_sqlite_log_loses_no_confirmed_delta()
    {
        var cluster = $"crash-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string>
        {
            ["NeuroMesh:Clustering:ClusterId"] = cluster,
            ["NeuroMesh:Clustering:ServiceId"] = cluster,
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "shared.db"),
        };
        await using var primary = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));
        var victim = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120), primary);
        using var client = await ClientOf(cluster, primary, victim);
        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = Path.Combine(_dir, "shared.db") });
        await KillMidAppendAndCheckAsync(client.Services.GetRequiredService<IClusterClient>(), store, victim, () => NodeProcess.RestartAsync(victim, settings, TimeSpan.FromSeconds(120), primary));
        await client.StopAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<IHost> ClientOf(string cluster, params NodeProcess[] nodes) => TestClients.StartAsync(
        cluster,
        nodes.Select(n => $"127.0.0.1:{n.GatewayPort}"),
        configure: client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CallTimeout));

    /// <summary>
    /// Reads a neuron's replayed state. The client gives up after <see cref="CallTimeout"/> (short, so that the appenders
    /// notice the kill), but a neuron can still be busy with a call that waits on a grain of the killed silo until Orleans'
    /// own 30 s response timeout (twice in about 12 runs a neuron did not answer for over 15 s after the appenders
    /// stopped), so a read that times out is asked again, for up to 40 s, and each wait is reported.
    /// </summary>
    private async Task<NeuronInfo> InspectAsync(INeuronGrain neuron)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await neuron.Inspect();
            }
            catch (TimeoutException e) when (attempt < 8)
            {
                output.WriteLine($"reading neuron {neuron.GetPrimaryKeyLong()} timed out (attempt {attempt}): {e.Message}");
            }
        }
    }

    /// <summary>
    /// Runs one appender per neuron (each connects synapses to targets 1, 2, 3, … and counts a target as confirmed when the
    /// call returns), kills <paramref name="victim"/> once every appender has confirmed a few, restarts it, lets every
    /// appender confirm more after the restart, and then checks each neuron's log against what its appender confirmed.
    /// </summary>
    private async Task KillMidAppendAndCheckAsync(IClusterClient client, IDeltaLogStore store, NodeProcess victim, Func<Task<NodeProcess>> restart)
    {
        var neurons = Enumerable.Range(0, Neurons).Select(i => (Id: (uint)(900_000 + i), Grain: client.GetGrain<INeuronGrain>(900_000 + i))).ToArray();
        await Task.WhenAll(neurons.Select((n, i) => n.Grain.Configure(new NeuronConfig { Region = RegionPath.Parse($"crash/r{i % 8}") })));

        var confirmed = new long[Neurons];
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var appenders = neurons.Select((n, i) => Task.Run(async () =>
        {
            for (uint target = 1; !stop.IsCancellationRequested;)
            {
                try
                {
                    await n.Grain.Connect(new OutgoingSynapse(target, target));
                    Volatile.Write(ref confirmed[i], target);
                    target++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // Unconfirmed: the call failed or timed out with the silo. It is retried with the same target; if the
                    // first attempt did land, the log holds that target twice, which is allowed (it was never confirmed).
                    failures.Add($"{n.Id}@{target}: {e.GetType().Name}");
                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await Eventually.Until(() => confirmed.ToArray(), c => c.All(x => x >= 20), "every appender to confirm 20 synapses", TimeSpan.FromSeconds(120));
        victim.Kill();
        var atKill = confirmed.ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        output.WriteLine($"killed the silo on port {victim.SiloPort} with {atKill.Sum()} deltas confirmed");
        await using var restarted = await restart();
        output.WriteLine($"restarted and ready after {clock.Elapsed.TotalSeconds:F1} s");
        await Eventually.Until(
            () => confirmed.ToArray(),
            c => c.Select((x, i) => x >= atKill[i] + 20).All(more => more),
            $"every appender to confirm 20 more after the restart (at the kill: {string.Join(", ", atKill)})",
            TimeSpan.FromSeconds(120));
        output.WriteLine($"every appender confirmed 20 more {clock.Elapsed.TotalSeconds:F1} s after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(appenders);
        output.WriteLine($"{confirmed.Sum()} confirmed in all; {failures.Count} calls failed around the kill");

        // Some calls must have been cut by the kill, or the test did not test a crash under load.
        Assert.NotEmpty(failures);
        for (var i = 0; i < Neurons; i++)
        {
            var stream = neurons[i].Grain.GetGrainId().ToString();
            var types = new List<string>();
            long expectedVersion = 1;
            await foreach (var record in store.ReadAsync(stream))
            {
                Assert.Equal(expectedVersion++, record.Version);
                types.Add(record.Type);
            }

            Assert.Equal("NeuronConfigured", types[0]);
            Assert.All(types.Skip(1), t => Assert.Equal("SynapseConnected", t));

            // Every confirmed target is in the replayed state, and nothing beyond the last attempted one.
            var synapses = (await InspectAsync(neurons[i].Grain)).Synapses.Select(s => s.Target).Order().ToArray();
            Assert.True(synapses.Length >= confirmed[i], $"neuron {neurons[i].Id}: {confirmed[i]} synapses confirmed, {synapses.Length} in its state");
            Assert.Equal(Enumerable.Range(1, synapses.Length).Select(t => (uint)t), synapses);
            Assert.InRange(synapses.Length, confirmed[i], confirmed[i] + 1);
            Assert.InRange(types.Count - 1, synapses.Length, synapses.Length + failures.Count(f => f.StartsWith($"{neurons[i].Id}@", StringComparison.Ordinal)));
        }
    }
}
