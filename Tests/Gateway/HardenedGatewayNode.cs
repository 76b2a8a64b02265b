using System.Globalization;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// One real node with the gateway closed down: reads need a key too (<c>OpenReads=false</c>), a small mutation budget
/// (<see cref="RateKey"/> is the rate-limit test's own partition), a memory budget for admission and a bound on ticks.
/// </summary>
public sealed class HardenedGatewayNode : IAsyncLifetime
{
    public const string Key = GatewayNode.Key;
    public const string RateKey = "rate-key-0123456789abcdef";
    public const int MutationsPerWindow = 60;
    public const long MemoryBudgetBytes = 512L * 1024 * 1024;
    public const long MaxTicksPerRun = 10_000_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-hardened-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(
            new Dictionary<string, string>(NodeProcess.OwnCluster("hardened", _dir))
            {
                ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
                ["NeuroMesh:Gateway:ApiKeys:1"] = RateKey,
                ["NeuroMesh:Gateway:OpenReads"] = "false",
                ["NeuroMesh:Gateway:MutationsPerWindow"] = MutationsPerWindow.ToString(CultureInfo.InvariantCulture),
                ["NeuroMesh:Gateway:RateWindowSeconds"] = "600",
                ["NeuroMesh:Admission:MemoryBudgetBytes"] = MemoryBudgetBytes.ToString(CultureInfo.InvariantCulture),
                ["NeuroMesh:Admission:MaxTicksPerRun"] = MaxTicksPerRun.ToString(CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An HTTP client for the node, sending <paramref name="key"/> in X-Api-Key (none when null).</summary>
    public HttpClient Client(string? key = Key, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = Node.Http, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }
}

/// <summary>The hardened-gateway tests share one node.</summary>
[CollectionDefinition(Name)]
public sealed class HardenedGatewayCollection : ICollectionFixture<HardenedGatewayNode>
{
    public const string Name = "hardened gateway node";
}
