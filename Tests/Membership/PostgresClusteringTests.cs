using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Membership;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Clustering;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Persistence;
using NeuroMesh.Tests.Silo;
using Npgsql;
using Orleans.Configuration;

namespace NeuroMesh.Tests.Membership;

/// <summary>Orleans' ADO.NET clustering on PostgreSQL over the schema NeuroMesh migrates itself, with real silo processes.</summary>
public sealed class PostgresClusteringTests
{
    /// <summary>The query keys Orleans' ADO.NET clustering looks up (it refuses to start when one is missing).</summary>
    private static readonly string[] OrleansClusteringKeys =
    [
        "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
    ];

    [SkippableFact]
    public async Task The_schema_is_migrated_once_even_by_racing_silos_and_registers_every_query_Orleans_looks_up()
    {
        var database = await TestPostgres.NewDatabaseAsync();
        var racing = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgresClusteringSchema.MigrateAsync(database, CancellationToken.None)));
        Assert.Equal([1], racing.SelectMany(applied => applied));
        Assert.Empty(await PostgresClusteringSchema.MigrateAsync(database, CancellationToken.None));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
        var registered = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                registered.Add(reader.GetString(0));
            }
        }

        Assert.Equal(OrleansClusteringKeys, registered);
        await using var version = new NpgsqlCommand($"SELECT max(version) FROM {PostgresClusteringSchema.Schema}.schema_version", connection);
        Assert.Equal(1, await version.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task Two_silo_processes_cluster_through_PostgreSQL_and_a_client_that_finds_them_there_runs_a_spec_on_both()
    {
        var database = await TestPostgres.NewDatabaseAsync();
        var cluster = $"pg-{Guid.NewGuid():N}";
        var settings = Settings(database, cluster);
        await using var a = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));
        await using var b = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));

        using var client = await ConnectAsync(database, cluster);
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 100 };
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var run = client.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("pg-clustered");
        await run.Deploy(spec.ToJson(), 2);
        var status = await run.Step(spec.TotalTicks);
        Assert.Equal((2, engine.Run(spec.TotalTicks).SpikeTrainHash), (status.Silos, status.SpikeTrainHash));

        // The membership rows are NeuroMesh's tables: both silos active, with their gateway ports.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var members = new NpgsqlCommand($"SELECT port, proxy_port FROM {PostgresClusteringSchema.Schema}.members WHERE deployment_id = @d AND status = 3 ORDER BY port", connection);
        members.Parameters.AddWithValue("d", cluster);
        var rows = new List<(int, int)>();
        await using (var reader = await members.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
            }
        }

        Assert.Equal(new[] { (a.SiloPort, a.GatewayPort), (b.SiloPort, b.GatewayPort) }.OrderBy(r => r.Item1), rows);
        await client.StopAsync();
    }

    internal static Dictionary<string, string> Settings(string database, string cluster) => new()
    {
        ["NeuroMesh:Clustering:Provider"] = "Postgres",
        ["NeuroMesh:Clustering:ConnectionString"] = database,
        ["NeuroMesh:Clustering:ClusterId"] = cluster,
        ["NeuroMesh:Clustering:ServiceId"] = cluster,
        ["NeuroMesh:DeltaLog:Backend"] = "postgres",
        ["NeuroMesh:DeltaLog:ConnectionString"] = database,
    };

    /// <summary>A client that finds the gateways in the membership table.</summary>
    internal static Task<IHost> ConnectAsync(string database, string cluster) => TestClients.StartAsync(
        cluster,
        [],
        configure: client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = SiloCrashTests.CallTimeout),
        clustering: client => client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (PostgresClusteringSchema.Invariant, database)));
}
