using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// A gateway without API keys trusts loopback clients, but not a web page of another site that a local browser visits: a
/// mutation whose Origin is not the gateway's own is refused and changes nothing, over REST and over the WebSocket.
/// </summary>
public sealed class GatewayOriginTests : IAsyncLifetime
{
    private const string Foreign = "http://evil.example";
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-origin-").FullName;
    private NodeProcess? _node;

    public async Task InitializeAsync()
    {
        _node = await NodeProcess.StartAsync(
            NodeProcess.OwnCluster("origin", _dir),
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
    public async Task Without_keys_a_foreign_origin_cannot_mutate_and_the_gateways_own_origin_can()
    {
        using var http = new HttpClient { BaseAddress = _node!.Http, Timeout = TimeSpan.FromSeconds(60) };
        var own = $"http://127.0.0.1:{_node.HttpPort}";

        foreach (var (path, body) in new[]
        {
            ("api/runs/origin-run/deploy", GatewayNode.SmallSpec()),
            ("api/regions/members", """{"region":"origin/r","neuron":1}"""),
        })
        {
            using var refused = await Post(http, path, body, Foreign);
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path}: {(int)refused.StatusCode}");
            Assert.Contains("origin", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // A form post from the other site is refused the same way (the body's Content-Type does not matter).
        using (var form = new HttpRequestMessage(HttpMethod.Post, new Uri("api/runs/origin-run/deploy", UriKind.Relative)))
        {
            form.Content = new StringContent(GatewayNode.SmallSpec(), Encoding.UTF8, "text/plain");
            form.Headers.Add("Origin", Foreign);
            using var refused = await http.SendAsync(form);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Null(await GatewayNode.Status(http, "origin-run"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/regions?path=origin/r", UriKind.Relative))).StatusCode);

        // The gateway's own page (same Origin) and clients that send no Origin may.
        using var deployed = await Post(http, "api/runs/origin-run/deploy", GatewayNode.SmallSpec(), own);
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        using var stepped = await Post(http, "api/runs/origin-run/step", """{"ticks":10}""", origin: null);
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        var before = (await GatewayNode.Status(http, "origin-run"))!.Value;
        Assert.Equal(10, before.GetProperty("tick").GetInt64());

        // Over the WebSocket: the foreign page may watch (reads are open) but its inject is refused; the own page's is taken.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tap = new Uri($"ws://127.0.0.1:{_node.HttpPort}/spikes/ws?run=origin-run");
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", Foreign);
            await foreign.ConnectAsync(tap, cancel.Token);
            var refused = await GatewaySpikeTests.Command(foreign, """{"type":"inject","inputs":[{"tick":20,"neuron":6,"weight":1000}]}""", cancel.Token);
            Assert.Equal("error", refused.GetProperty("type").GetString());
            Assert.True(refused.GetProperty("status").GetInt32() == 401, refused.GetRawText());
        }

        Assert.Equal(before.GetRawText(), (await GatewayNode.Status(http, "origin-run"))!.Value.GetRawText());

        using var same = new ClientWebSocket();
        same.Options.SetRequestHeader("Origin", own);
        await same.ConnectAsync(tap, cancel.Token);
        var injected = await GatewaySpikeTests.Command(same, """{"type":"inject","inputs":[{"tick":20,"neuron":6,"weight":1000}]}""", cancel.Token);
        Assert.Equal("injected", injected.GetProperty("type").GetString());
        await same.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
    }

    [Fact]
    public async Task A_rebound_host_name_cannot_use_the_loopback_trust_over_rest_or_the_websocket()
    {
        // DNS rebinding: a page of attacker.test, whose name now resolves to 127.0.0.1, talks to the gateway from the local
        // browser. The connection is loopback, and Host and Origin both name the attacker's site, so they agree.
        using var http = new HttpClient { BaseAddress = _node!.Http, Timeout = TimeSpan.FromSeconds(60) };
        var host = $"attacker.test:{_node.HttpPort}";
        var origin = $"http://{host}";
        foreach (var (path, body) in new[]
        {
            ("api/runs/rebound-run/deploy", GatewayNode.SmallSpec()),
            ("api/regions/members", """{"region":"rebound/r","neuron":1}"""),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Host = host;
            request.Headers.Add("Origin", origin);
            using var refused = await http.SendAsync(request);
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path}: {(int)refused.StatusCode}");
            Assert.Contains("AllowedHosts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(await GatewayNode.Status(http, "rebound-run"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/regions?path=rebound/r", UriKind.Relative))).StatusCode);

        // A rebound page that sends no Origin (a plain GET-like fetch is not how browsers post, but a client may) is refused too.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/runs/rebound-run/deploy", UriKind.Relative)) { Content = new StringContent(GatewayNode.SmallSpec(), Encoding.UTF8, "application/json") })
        {
            request.Headers.Host = host;
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The gateway's own names still work: localhost, with its port.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/runs/rebound-run/deploy", UriKind.Relative)) { Content = new StringContent(GatewayNode.SmallSpec(), Encoding.UTF8, "application/json") })
        {
            request.Headers.Host = $"localhost:{_node.HttpPort}";
            request.Headers.Add("Origin", $"http://localhost:{_node.HttpPort}");
            using var deployed = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        var before = (await GatewayNode.Status(http, "rebound-run"))!.Value.GetRawText();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using (var rebound = new ClientWebSocket())
        {
            rebound.Options.SetRequestHeader("Host", host);
            rebound.Options.SetRequestHeader("Origin", origin);
            await rebound.ConnectAsync(new Uri($"ws://127.0.0.1:{_node.HttpPort}/spikes/ws?run=rebound-run"), cancel.Token);
            var refused = await GatewaySpikeTests.Command(rebound, """{"type":"inject","inputs":[{"tick":20,"neuron":6,"weight":1000}]}""", cancel.Token);
            Assert.True(refused.GetProperty("type").GetString() == "error" && refused.GetProperty("status").GetInt32() == 401, refused.GetRawText());
        }

        Assert.Equal(before, (await GatewayNode.Status(http, "rebound-run"))!.Value.GetRawText());
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string json, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await http.SendAsync(request);
    }
}
