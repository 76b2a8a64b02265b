using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// One real node process with the gateway configured for tests: two API keys (<see cref="Key"/> for the tests, <see cref="FloodKey"/>
/// for the rate-limit test, each its own rate partition), reads open, small body limit, and a mutation budget the flood test can exceed.
/// </summary>
public sealed class GatewayNode : IAsyncLifetime
{
    public const string Key = "test-key-0123456789abcdef";
    public const string FloodKey = "flood-key-0123456789abcdef";
    public const int MaxBodyBytes = 64 * 1024;
    public const int MutationsPerWindow = 150;

    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-gateway-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(
            new Dictionary<string, string>(NodeProcess.OwnCluster("gateway", _dir))
            {
                ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
                ["NeuroMesh:Gateway:ApiKeys:1"] = FloodKey,
                ["NeuroMesh:Gateway:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["NeuroMesh:Gateway:MutationsPerWindow"] = MutationsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["NeuroMesh:Gateway:RateWindowSeconds"] = "600",
            },
            TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An HTTP client for the node, sending <paramref name="key"/> in X-Api-Key (none when null).</summary>
    public HttpClient Client(string? key = Key)
    {
        var http = new HttpClient { BaseAddress = Node.Http, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    /// <summary>A small spec (the delta_delays example, <paramref name="durationMs"/> long) as JSON.</summary>
    public static string SmallSpec(double durationMs = 50)
        => (global::NeuroMesh.Network.NetworkSpec.Load(Path.Combine(Engine.ExamplesDirectory.Root(), "examples", "delta_delays.json")) with { Duration = durationMs }).ToJson();

    /// <summary>POSTs raw JSON text.</summary>
    public static Task<HttpResponseMessage> PostJson(HttpClient http, string path, string json)
        => http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>The run's status as JSON, or null on 404; any other failure throws (an error body is not a state to compare).</summary>
    public static async Task<JsonElement?> Status(HttpClient http, string run)
    {
        using var response = await http.GetAsync(new Uri($"api/runs/{run}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>The gateway tests share one node.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayNode>
{
    public const string Name = "gateway node";
}
