using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// A seeded fuzz pass over every operation of the gateway's OpenAPI document (<see cref="HostileRequests"/>): each
/// hostile request must get a 4xx RFC 9457 problem (never a 5xx, never a success), and afterwards nothing has changed.
/// The seed is fixed so that a failure reproduces; NEUROMESH_FUZZ_SEED and NEUROMESH_FUZZ_COUNT explore further.
/// </summary>
public sealed class GatewayFuzzTests : IAsyncLifetime
{
    private const string Key = GatewayNode.Key;
    private const string Target = "fuzz-target";
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-fuzz-").FullName;
    private NodeProcess? _node;

    public async Task InitializeAsync()
    {
        _node = await NodeProcess.StartAsync(
            new Dictionary<string, string>(NodeProcess.OwnCluster("fuzz", _dir))
            {
                ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
                ["NeuroMesh:Gateway:MaxBodyBytes"] = GatewayNode.MaxBodyBytes.ToString(CultureInfo.InvariantCulture),

                // The fuzz pass is one client sending thousands of requests: the rate limits are not what it tests.
                ["NeuroMesh:Gateway:MutationsPerWindow"] = "1000000",
                ["NeuroMesh:Gateway:ReadsPerWindow"] = "1000000",
            },
            TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Hostile_requests_over_every_openapi_operation_get_4xx_and_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NEUROMESH_FUZZ_SEED"), out var s) ? s : 20261207;
        var count = int.TryParse(Environment.GetEnvironmentVariable("NEUROMESH_FUZZ_COUNT"), out var c) ? c : 1500;
        using var http = new HttpClient { BaseAddress = _node!.Http, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);

        using (var deployed = await GatewayNode.PostJson(http, $"api/runs/{Target}/deploy", GatewayNode.SmallSpec(100)))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        using (var stepped = await GatewayNode.PostJson(http, $"api/runs/{Target}/step", """{"ticks":100}"""))
        {
            Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        }

        var before = await State(http);
        var operations = GatewayOperation.From(await http.GetFromJsonAsync<JsonElement>("openapi"));
        Assert.True(operations.Count >= 30, $"the OpenAPI document lists only {operations.Count} operations");
        var methods = operations.GroupBy(o => o.Path).ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(o => o.Method).ToHashSet());
        var generator = new HostileRequests(seed, Target, GatewayNode.MaxBodyBytes);
        var failures = new List<string>();
        var answered = new Dictionary<int, int>();
        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var op = operations[i % operations.Count];
            var hostile = generator.Next(op, methods[op.Path]);
            using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(hostile.Path, UriKind.Relative));
            if (hostile.Body is { } body)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(hostile.ContentType!);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            answered[status] = answered.GetValueOrDefault(status) + 1;
            var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "(an open event stream)" : await response.Content.ReadAsStringAsync();
            if (status is < 400 or >= 500)
            {
                failures.Add($"#{i} (seed {seed}) {hostile}: {status} {text[..Math.Min(300, text.Length)]}");
                continue;
            }

            if (status == 400 && text.Length == 0 && response.Headers.ConnectionClose == true)
            {
                // Kestrel refused the request line itself (a NUL in the path): answered before any middleware, with nothing in it.
                continue;
            }

            try
            {
                GatewayHardeningTests.AssertCleanProblem($"#{i} (seed {seed}) {hostile}", response, text);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, await State(http));

        // Every operation was hit, and the requests reached more than the first check (the statuses vary).
        Assert.True(answered.Count >= 4, string.Join(", ", answered.Select(a => $"{a.Key}: {a.Value}")));
    }

    // What a hostile request could have changed: the target run, and the neuron, region and agent its noise names.
    private static async Task<string> State(HttpClient http)
    {
        var run = (await GatewayNode.Status(http, Target))!.Value;
        using var neuron = await http.GetAsync(new Uri("api/neurons/1", UriKind.Relative));
        using var region = await http.GetAsync(new Uri("api/regions?path=fuzz/r", UriKind.Relative));
        var agents = await http.GetStringAsync(new Uri("api/agents?capability=x", UriKind.Relative));
        return $"{run.GetRawText()} neuron 1: {(int)neuron.StatusCode} region fuzz/r: {(int)region.StatusCode} agents: {agents}";
    }
}
