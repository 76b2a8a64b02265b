using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace NeuroMesh.Tests.Gateway;

/// <summary>Live spikes through the gateway: SSE with filters and sampling that account for every spike, and the two-way WebSocket.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewaySpikeTests(GatewayNode fixture)
{
    [Fact]
    public async Task Sse_streams_a_runs_spikes_sampled_and_filtered_with_every_spike_accounted_for()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/sse-run/deploy", GatewayNode.SmallSpec(300));
        var total = (await deployed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalTicks").GetInt64();

        using var reader = fixture.Client(key: null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var sampled = await SseReader.OpenAsync(reader, "spikes/stream?run=sse-run&maxRate=100", cancel.Token);
        await using var inhibitory = await SseReader.OpenAsync(reader, "spikes/stream?run=sse-run&population=I", cancel.Token);
        var started = Stopwatch.StartNew();
        using var start = await http.PostAsync(new Uri("api/runs/sse-run/start", UriKind.Relative), null);
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());

        var a = await sampled.ReadUntilAsync(total, cancel.Token);
        var seconds = started.Elapsed.TotalSeconds;
        var b = await inhibitory.ReadUntilAsync(total, cancel.Token);
        var status = (await GatewayNode.Status(http, "sse-run"))!.Value;
        Assert.Equal("Finished", status.GetProperty("phase").GetString());
        var spikes = status.GetProperty("spikes").GetInt64();

        foreach (var events in new[] { a, b })
        {
            Assert.Equal(0, events[0].GetProperty("fromTick").GetInt64());
            for (var i = 1; i < events.Count; i++)
            {
                Assert.Equal(events[i - 1].GetProperty("toTick").GetInt64(), events[i].GetProperty("fromTick").GetInt64());
            }

            Assert.All(events, e => Assert.Equal(0, e.GetProperty("missedTicks").GetInt64() + e.GetProperty("droppedSpikes").GetInt64()));
            Assert.Equal(spikes, events.Sum(e => e.GetProperty("fired").GetInt64()));
            Assert.All(events, e => Assert.Equal(e.GetProperty("fired").GetInt64(), e.GetProperty("populationFired").EnumerateArray().Sum(n => n.GetInt64())));
            Assert.All(events, e => Assert.Equal(
                e.GetProperty("fired").GetInt64(),
                e.GetProperty("neurons").GetArrayLength() + e.GetProperty("sampledAway").GetInt64() + e.GetProperty("filtered").GetInt64()));
        }

        // The budget of 100 spikes/s held (one second's burst plus the refill), and what it held back is counted.
        var sent = a.Sum(e => e.GetProperty("neurons").GetArrayLength());
        Assert.True(sent <= 100 * (seconds + 1), $"{sent} spikes sent in {seconds:F1} s at 100/s");
        Assert.True(a.Sum(e => e.GetProperty("sampledAway").GetInt64()) > 0);
        Assert.Equal(0, a.Sum(e => e.GetProperty("filtered").GetInt64()));

        // The population filter passes only I (neurons 800..999) and sends all of them (no sampling at the default budget).
        var neurons = b.SelectMany(e => e.GetProperty("neurons").EnumerateArray().Select(n => n.GetInt32())).ToArray();
        Assert.NotEmpty(neurons);
        Assert.All(neurons, n => Assert.InRange(n, 800, 999));
        Assert.Equal(0, b.Sum(e => e.GetProperty("sampledAway").GetInt64()));
        Assert.True(b.Sum(e => e.GetProperty("filtered").GetInt64()) > 0);

        // Checks that do not hold by how the event is built (fired = sent + sampledAway + filtered does): the per-population
        // counts come from the populations' ranges, the sent and filtered spikes from the filter, so the I-only stream must
        // send exactly every I spike and filter exactly every E spike (populations in /populations order: E, I).
        Assert.Equal(b.Sum(e => (long)e.GetProperty("neurons").GetArrayLength()), b.Sum(e => e.GetProperty("populationFired")[1].GetInt64()));
        Assert.Equal(b.Sum(e => e.GetProperty("filtered").GetInt64()), b.Sum(e => e.GetProperty("populationFired")[0].GetInt64()));
    }

    [Fact]
    public async Task Rewards_over_rest_and_the_websocket_move_R_STDP_weights_and_bad_rewards_are_named_problems()
    {
        using var http = fixture.Client();
        var spec = NeuroMesh.Tests.Simulation.RewardSpec.Unrewarded(200).ToJson();
        foreach (var run in new[] { "gw-rewarded", "gw-unrewarded" })
        {
            using var deployed = await GatewayNode.PostJson(http, $"api/runs/{run}/deploy", spec);
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
            using var stepped = await GatewayNode.PostJson(http, $"api/runs/{run}/step", """{"ticks":800}""");
            Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        }

        using var rewarded = await GatewayNode.PostJson(http, "api/runs/gw-rewarded/reward", """{"amount":1.5,"population":"actuators"}""");
        Assert.Equal(HttpStatusCode.OK, rewarded.StatusCode);
        using var modulatory = await GatewayNode.PostJson(http, "api/runs/gw-rewarded/inject", """{"inputs":[{"tick":1000,"neuron":160,"weight":3,"channel":"modulatory"}]}""");
        Assert.Equal(HttpStatusCode.OK, modulatory.StatusCode);

        using var nowhere = await GatewayNode.PostJson(http, "api/runs/gw-rewarded/reward", """{"amount":1,"population":"critic"}""");
        Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
        Assert.Contains("Population 'critic' receives no R-STDP synapse", await nowhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var zero = await GatewayNode.PostJson(http, "api/runs/gw-rewarded/reward", """{"amount":0}""");
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.True(JsonDocument.Parse(await zero.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("$.amount", out _));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", GatewayNode.Key);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=gw-rewarded"), cancel.Token);
        var global = await Command(socket, """{"type":"reward","amount":2,"tick":1200}""", cancel.Token);
        Assert.Equal(("rewarded", 800L), (global.GetProperty("type").GetString(), global.GetProperty("status").GetProperty("tick").GetInt64()));
        var bad = await Command(socket, """{"type":"reward","amount":"much"}""", cancel.Token);
        Assert.Equal(("error", "$.amount"), (bad.GetProperty("type").GetString(), bad.GetProperty("field").GetString()));

        foreach (var run in new[] { "gw-rewarded", "gw-unrewarded" })
        {
            // Not to the end: a finished run frees its shards, and with them its weights.
            using var stepped = await GatewayNode.PostJson(http, $"api/runs/{run}/step", """{"ticks":1100}""");
            Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        }

        // Without a reward the R-STDP weights keep their initial 3 and 12; the rewards moved them.
        var plain = await http.GetFromJsonAsync<JsonElement>(new Uri("api/runs/gw-unrewarded/weights?bins=10", UriKind.Relative));
        var learned = await http.GetFromJsonAsync<JsonElement>(new Uri("api/runs/gw-rewarded/weights?bins=10", UriKind.Relative));
        Assert.Equal((3.0, 12.0), (plain.GetProperty("min").GetDouble(), plain.GetProperty("max").GetDouble()));
        Assert.NotEqual((3.0, 12.0), (learned.GetProperty("min").GetDouble(), learned.GetProperty("max").GetDouble()));
        Assert.Equal(plain.GetProperty("synapses").GetInt64(), learned.GetProperty("synapses").GetInt64());
    }

    [Fact]
    public async Task The_websocket_taps_filters_and_injects_and_refuses_injection_without_a_key()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/ws-run/deploy", GatewayNode.SmallSpec(100));
        Assert.True(deployed.IsSuccessStatusCode);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", GatewayNode.Key);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=ws-run"), cancel.Token);

        var filtered = await Command(socket, """{"type":"filter","from":0,"to":10}""", cancel.Token);
        Assert.Equal("filtered", filtered.GetProperty("type").GetString());
        var unknown = await Command(socket, """{"type":"warp"}""", cancel.Token);
        Assert.Equal(("error", "$.type"), (unknown.GetProperty("type").GetString(), unknown.GetProperty("field").GetString()));
        var invalid = await Command(socket, """{"type":"inject","inputs":[{"tick":0,"neuron":5,"weight":"x"}]}""", cancel.Token);
        Assert.Equal(("error", "$.inputs[0].weight"), (invalid.GetProperty("type").GetString(), invalid.GetProperty("field").GetString()));
        var injected = await Command(socket, """{"type":"inject","inputs":[{"tick":0,"neuron":5,"weight":1000}]}""", cancel.Token);
        Assert.Equal("injected", injected.GetProperty("type").GetString());

        using var anonymous = new ClientWebSocket();
        await anonymous.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=ws-run"), cancel.Token);
        var refused = await Command(anonymous, """{"type":"inject","inputs":[{"tick":0,"neuron":6,"weight":1000}]}""", cancel.Token);
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Contains("API key", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var stepped = await GatewayNode.PostJson(http, "api/runs/ws-run/step", """{"ticks":200}""");
        Assert.True(stepped.IsSuccessStatusCode);
        var spikes = new List<(long Tick, int Neuron)>();
        long covered = 0;
        while (covered < 200)
        {
            var message = await Receive(socket, cancel.Token);
            if (message.GetProperty("type").GetString() != "spikes")
            {
                continue;
            }

            covered = message.GetProperty("toTick").GetInt64();
            var ticks = message.GetProperty("ticks").EnumerateArray().Select(t => t.GetInt64()).ToArray();
            var neurons = message.GetProperty("neurons").EnumerateArray().Select(n => n.GetInt32()).ToArray();
            spikes.AddRange(ticks.Zip(neurons));
        }

        Assert.All(spikes, s => Assert.InRange(s.Neuron, 0, 9));
        Assert.Contains(spikes, s => s.Neuron == 5 && s.Tick <= 2);
        var log = (await GatewayNode.Status(http, "ws-run"))!.Value;
        Assert.Equal(200, log.GetProperty("tick").GetInt64());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
    }

    /// <summary>Sends a command and answers the first reply that is not a spikes message.</summary>
    internal static async Task<JsonElement> Command(ClientWebSocket socket, string command, CancellationToken cancel)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(command), WebSocketMessageType.Text, endOfMessage: true, cancel);
        while (true)
        {
            var message = await Receive(socket, cancel);
            if (message.GetProperty("type").GetString() != "spikes")
            {
                return message;
            }
        }
    }

    internal static async Task<JsonElement> Receive(ClientWebSocket socket, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancel);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Reads an SSE response's <c>spikes</c> events.</summary>
    internal sealed class SseReader : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseReader(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

        public static async Task<SseReader> OpenAsync(HttpClient http, string path, CancellationToken cancel)
        {
            var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var reader = new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancel)));
            Assert.Equal("event: open", await reader._reader.ReadLineAsync(cancel));
            return reader;
        }

        public async Task<List<JsonElement>> ReadUntilAsync(long toTick, CancellationToken cancel)
        {
            var events = new List<JsonElement>();
            string? kind = null;
            while (events.Count == 0 || events[^1].GetProperty("toTick").GetInt64() < toTick)
            {
                var line = await _reader.ReadLineAsync(cancel) ?? throw new EndOfStreamException("the SSE stream ended");
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    kind = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "spikes")
                {
                    events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }

            return events;
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
