using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text.Json;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The gateway over real TLS on a real node (<see cref="HttpsGatewayNode"/>): a client that trusts the test CA deploys, steps
/// and taps spikes over SSE and <c>wss://</c>; a client that does not is refused in the handshake; plain HTTP is redirected
/// (reads) or refused (changes) and never changes anything; HTTPS answers carry HSTS.
/// </summary>
[Collection(HttpsGatewayCollection.Name)]
public sealed class GatewayHttpsTests(HttpsGatewayNode fixture)
{
    [Fact]
    public async Task A_client_trusting_the_test_CA_deploys_and_steps_over_HTTPS_and_every_answer_carries_HSTS()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/https-run/deploy", GatewayNode.SmallSpec(50));
        Assert.True(deployed.StatusCode == HttpStatusCode.Created, await deployed.Content.ReadAsStringAsync());
        Assert.Equal("max-age=31536000", deployed.Headers.GetValues("Strict-Transport-Security").Single());

        using var stepped = await GatewayNode.PostJson(http, "api/runs/https-run/step", """{"ticks":100}""");
        Assert.True(stepped.IsSuccessStatusCode, await stepped.Content.ReadAsStringAsync());
        var status = (await GatewayNode.Status(http, "https-run"))!.Value;
        Assert.Equal(100, status.GetProperty("tick").GetInt64());

        // An error answer (here 401, and so through the problem writer) keeps the header too.
        using var anonymous = fixture.Client(key: null);
        using var refused = await GatewayNode.PostJson(anonymous, "api/runs/https-run/step", """{"ticks":1}""");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_client_without_the_test_CA_is_refused_in_the_handshake_whether_it_trusts_the_machine_or_another_CA()
    {
        // The machine's CAs (the default handler) and another throwaway CA: neither issued the node's certificate.
        using var machine = new HttpClient { BaseAddress = fixture.Node.Https, Timeout = TimeSpan.FromSeconds(30) };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => machine.GetAsync(new Uri("api/examples", UriKind.Relative)));
        Assert.IsType<AuthenticationException>(error.InnerException);

        using var other = TestCertificates.Authority("Some other CA");
        using var stranger = new HttpClient(TestCertificates.Trusting(other)) { BaseAddress = fixture.Node.Https, Timeout = TimeSpan.FromSeconds(30) };
        error = await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync(new Uri("api/examples", UriKind.Relative)));
        Assert.IsType<AuthenticationException>(error.InnerException);

        // The test CA's own client still checks the name: the certificate names 127.0.0.1 and localhost, not gateway.example.
        var handler = TestCertificates.Trusting(fixture.Authority);
        handler.ConnectCallback = async (_, cancel) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, fixture.Node.HttpsPort, cancel);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        };
        using var misnamed = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        error = await Assert.ThrowsAsync<HttpRequestException>(() => misnamed.GetAsync(new Uri($"https://gateway.example:{fixture.Node.HttpsPort}/api/examples")));
        Assert.IsType<AuthenticationException>(error.InnerException);

        using var trusted = fixture.Client(key: null);
        using var examples = await trusted.GetAsync(new Uri("api/examples", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, examples.StatusCode);
    }

    [Fact]
    public async Task Sse_and_the_websocket_tap_work_over_TLS()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/tls-tap/deploy", GatewayNode.SmallSpec(100));
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // SSE over HTTPS and a WebSocket over wss://, both through a TLS stack that trusts the test CA only.
        using var reader = fixture.Client(key: null);
        await using var sse = await GatewaySpikeTests.SseReader.OpenAsync(reader, "spikes/stream?run=tls-tap", cancel.Token);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", HttpsGatewayNode.Key);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificates.ChainsTo(certificate, fixture.Authority, errors);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{fixture.Node.HttpsPort}/spikes/ws?run=tls-tap"), cancel.Token);
        var injected = await GatewaySpikeTests.Command(socket, """{"type":"inject","inputs":[{"tick":0,"neuron":5,"weight":1000}]}""", cancel.Token);
        Assert.Equal("injected", injected.GetProperty("type").GetString());

        using var stepped = await GatewayNode.PostJson(http, "api/runs/tls-tap/step", """{"ticks":200}""");
        Assert.True(stepped.IsSuccessStatusCode, await stepped.Content.ReadAsStringAsync());
        var events = await sse.ReadUntilAsync(200, cancel.Token);
        var spikes = (await GatewayNode.Status(http, "tls-tap"))!.Value.GetProperty("spikes").GetInt64();
        Assert.True(spikes > 0);
        Assert.Equal(spikes, events.Sum(e => e.GetProperty("fired").GetInt64()));

        var socketSpikes = new List<(long Tick, int Neuron)>();
        long covered = 0;
        while (covered < 200)
        {
            var message = await GatewaySpikeTests.Receive(socket, cancel.Token);
            if (message.GetProperty("type").GetString() == "spikes")
            {
                covered = message.GetProperty("toTick").GetInt64();
                socketSpikes.AddRange(message.GetProperty("ticks").EnumerateArray().Select(t => t.GetInt64()).Zip(message.GetProperty("neurons").EnumerateArray().Select(n => n.GetInt32())));
            }
        }

        // The injected input made neuron 5 fire at once, and the socket saw it.
        Assert.Contains(socketSpikes, s => s.Neuron == 5 && s.Tick <= 2);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
    }

    [Fact]
    public async Task Plain_HTTP_redirects_reads_to_HTTPS_refuses_changes_without_applying_them_and_still_serves_health()
    {
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Node.Http, Timeout = TimeSpan.FromSeconds(30) };
        plain.DefaultRequestHeaders.Add("X-Api-Key", HttpsGatewayNode.Key);

        using var read = await plain.GetAsync(new Uri("api/runs/plain-run?x=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.PermanentRedirect, read.StatusCode);
        Assert.Equal(new Uri($"https://127.0.0.1:{fixture.Node.HttpsPort}/api/runs/plain-run?x=1"), read.Headers.Location);
        Assert.False(read.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS answers only (RFC 6797 §7.2)");

        // A deploy over plain HTTP (key and body already in clear text) is refused, not redirected, and deploys nothing.
        using var change = await GatewayNode.PostJson(plain, "api/runs/plain-run/deploy", GatewayNode.SmallSpec(50));
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        var problem = await change.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("HTTPS required", problem.GetProperty("title").GetString());
        Assert.Contains($"https://127.0.0.1:{fixture.Node.HttpsPort}/api/runs/plain-run/deploy", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var https = fixture.Client();
        Assert.Null(await GatewayNode.Status(https, "plain-run"));

        // The WebSocket upgrade over ws:// is a GET: redirected, never upgraded.
        using var socket = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=plain-run"), CancellationToken.None));

        // Probes reach /health over plain HTTP.
        using var live = await plain.GetAsync(new Uri("health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // And a client that follows the redirect ends up reading over HTTPS.
        using var following = new HttpClient(TestCertificates.Trusting(fixture.Authority)) { BaseAddress = fixture.Node.Http, Timeout = TimeSpan.FromSeconds(30) };
        using var examples = await following.GetAsync(new Uri("api/examples", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, examples.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, examples.RequestMessage!.RequestUri!.Scheme);
    }

    [Fact]
    public async Task The_python_client_runs_cuba_over_https_trusting_only_the_ca_file_and_fails_without_it()
    {
        var (code, output) = await RunPythonClient("python-https", fixture.AuthorityPath);
        Assert.True(code == 0, $"exit {code}\n{output}");
        Assert.Contains("deployed cuba as python-https: 4000 neurons, 2000 ticks", output, StringComparison.Ordinal);
        var spikes = PythonClientTests.SpikesLine().Match(output);
        Assert.True(spikes.Success, output);
        Assert.Equal(spikes.Groups[1].Value, spikes.Groups[2].Value);

        // Without --cafile the machine's CAs are used, and none of them issued the node's certificate.
        (code, output) = await RunPythonClient("python-https-untrusted", null);
        Assert.NotEqual(0, code);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", output, StringComparison.Ordinal);
        using var http = fixture.Client();
        Assert.Null(await GatewayNode.Status(http, "python-https-untrusted"));
    }

    private async Task<(int Code, string Output)> RunPythonClient(string run, string? cafile)
    {
        var script = Path.Combine(Engine.ExamplesDirectory.Root(), "examples", "python", "neuromesh_client.py");
        var start = new System.Diagnostics.ProcessStartInfo(PythonClientTests.Python())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--url", fixture.Node.Https.ToString(), "--run", run, "--duration", "200", "--max-rate", "1000" }.Concat(cafile is null ? [] : ["--cafile", cafile]))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NEUROMESH_API_KEY"] = HttpsGatewayNode.Key;
        start.Environment.Remove("NEUROMESH_CAFILE");
        start.Environment.Remove("SSL_CERT_FILE");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }
}
