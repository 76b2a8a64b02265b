using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The gateway against an attacker's input on a closed-down node: admission control, bounded runs, named failures, prompt
/// pauses, problem details that leak nothing, closed reads on every route, one rate limit per client and one JSON dialect.
/// </summary>
[Collection(HardenedGatewayCollection.Name)]
public sealed class GatewayHardeningTests(HardenedGatewayNode fixture)
{
    [Fact]
    public async Task A_spec_over_the_memory_budget_or_the_tick_bound_is_refused_before_it_deploys()
    {
        using var http = fixture.Client();
        var cases = new (string Run, Func<JsonObject, JsonObject> Edit, string Field, string[] Says)[]
        {
            ("adm-neurons", s => WithPopulationSize(WithoutProjections(s), 0, 1_000_000_000), "$", ["estimate", "budget", "MemoryBudgetBytes"]),
            ("adm-all", s => AllToAll(WithPopulationSize(WithPopulationSize(s, 0, 1_000_000), 1, 1_000_000)), "$", ["estimate", "budget"]),
            ("adm-degree", s => InDegree(s, int.MaxValue), "$.projections[0].rule.n", ["a projection holds at most"]),
            ("adm-duration", s => Set(s, "duration", 1e12), "$.duration", ["MaxTicksPerRun"]),
            ("adm-dt", s => Set(WithoutProjections(s), "dt", 1e-300), "$.duration", ["MaxTicksPerRun"]),
        };

        foreach (var (run, edit, field, says) in cases)
        {
            var spec = edit(JsonNode.Parse(GatewayNode.SmallSpec())!.AsObject()).ToJsonString();
            using var response = await GatewayNode.PostJson(http, $"api/runs/{run}/deploy", spec);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{run}: {(int)response.StatusCode} {text}");
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{run}: the problem does not name {field}: {text}");
            foreach (var word in says)
            {
                Assert.Contains(word, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            }

            Assert.Null(await GatewayNode.Status(http, run));
        }

        // The limit is the setting, named in bytes: the estimate is larger than it.
        using var big = await GatewayNode.PostJson(http, "api/runs/adm-neurons/deploy", WithPopulationSize(WithoutProjections(JsonNode.Parse(GatewayNode.SmallSpec())!.AsObject()), 0, 1_000_000_000).ToJsonString());
        Assert.Contains(HardenedGatewayNode.MemoryBudgetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await big.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A spec within both bounds still deploys.
        using var small = await GatewayNode.PostJson(http, "api/runs/adm-small/deploy", GatewayNode.SmallSpec());
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
    }

    [Fact]
    public async Task A_failed_start_or_step_leaves_a_named_error_in_the_runs_status()
    {
        using var http = fixture.Client();

        // A custom filter nobody registered passes validation but fails when the shard builds its engine.
        var spec = JsonNode.Parse(GatewayNode.SmallSpec())!.AsObject();
        spec["projections"]![0]!["filter"] = new JsonObject { ["kind"] = "custom", ["name"] = "never-registered" };
        using (var deployed = await GatewayNode.PostJson(http, "api/runs/fail-start/deploy", spec.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        using (await http.PostAsync(new Uri("api/runs/fail-start/start", UriKind.Relative), null))
        {
        }

        var status = await Eventually.Until(
            async () => (await GatewayNode.Status(http, "fail-start"))!.Value,
            s => s.GetProperty("phase").GetString() != "Running",
            "the run fail-start to stop running",
            TimeSpan.FromSeconds(60));
        Assert.Contains("never-registered", status.GetProperty("error").GetString(), StringComparison.Ordinal);

        using (var deployed = await GatewayNode.PostJson(http, "api/runs/fail-step/deploy", spec.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        using var stepped = await GatewayNode.PostJson(http, "api/runs/fail-step/step", """{"ticks":10}""");
        Assert.True((int)stepped.StatusCode is >= 400 and < 600, $"{(int)stepped.StatusCode}");
        var after = (await GatewayNode.Status(http, "fail-step"))!.Value;
        Assert.Contains("never-registered", after.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_answers_promptly_on_a_slowly_paced_run_and_a_later_start_wins()
    {
        using var http = fixture.Client(timeout: TimeSpan.FromSeconds(10));
        using (var deployed = await GatewayNode.PostJson(http, "api/runs/slow-pace/deploy", GatewayNode.SmallSpec(2000)))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        using (var started = await http.PostAsync(new Uri("api/runs/slow-pace/start?pace=0.0005", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        // The first slice is 20 ms simulated, 40 s of wall time at this pace: a pause must not wait for it (10 s client timeout).
        using (var paused = await http.PostAsync(new Uri("api/runs/slow-pace/pause", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.NotEqual("Running", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
        }

        using (var restarted = await http.PostAsync(new Uri("api/runs/slow-pace/start?pace=0.0005", UriKind.Relative), null))
        {
            Assert.Equal("Running", (await restarted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
        }

        // Nothing left over from the pause stops the later start.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("Running", (await GatewayNode.Status(http, "slow-pace"))!.Value.GetProperty("phase").GetString());

        // And a pause after that start wins in turn, promptly again, and stays.
        using (var paused = await http.PostAsync(new Uri("api/runs/slow-pace/pause", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.NotEqual("Running", (await GatewayNode.Status(http, "slow-pace"))!.Value.GetProperty("phase").GetString());
        using (var stopped = await http.PostAsync(new Uri("api/runs/slow-pace/stop", UriKind.Relative), null))
        {
            Assert.Equal("Stopped", (await stopped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
        }
    }

    [Fact]
    public async Task Error_bodies_are_problem_details_that_name_no_dotnet_types()
    {
        using var http = fixture.Client();
        using (var deployed = await GatewayNode.PostJson(http, "api/runs/problem-run/deploy", GatewayNode.SmallSpec()))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        }

        foreach (var (method, path, body) in new (string, string, string?)[]
        {
            ("POST", "api/runs/problem-run/inject", """{"inputs":5}"""),
            ("POST", "api/runs/problem-run/inject", """{"inputs":[{"tick":"x","neuron":1,"weight":1}]}"""),
            ("POST", "api/runs/problem-run/step", """{"ticks":{}}"""),
            ("POST", "api/runs/problem-run/replay", """{"fromSnapshot":"yes"}"""),
            ("POST", "api/runs/problem-run/fork", """{"from":"problem-run","tick":1,"specPatch":1,"set":{}}"""),
            ("GET", "api/runs/problem-run/weights?bins=abc", null),
            ("GET", "api/runs/problem-run/snapshots/notatick", null),
            ("PUT", "api/neurons/5", """{"region":"p/r","params":[1]}"""),
            ("POST", "api/agents", """{"region":"p/r","name":"a","neuronId":1,"metadata":{"k":1}}"""),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
            {
                Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode} {text}");
            AssertCleanProblem($"{method} {path}", response, text);
        }
    }

    [Fact]
    public async Task Closed_reads_cover_every_route_the_openapi_document_and_metrics_included()
    {
        using var anonymous = fixture.Client(key: null);
        foreach (var path in new[] { "openapi", "metrics", "api/runs/x", "api/cluster", "api/examples", "spikes/stream?run=x" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
            AssertCleanProblem(path, response, text);
        }

        using var keyed = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(new Uri("openapi", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(new Uri("metrics", UriKind.Relative))).StatusCode);

        // Liveness stays open: an orchestrator's probe carries no key and learns nothing from it.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Rest_and_websocket_injects_draw_on_one_rate_limit_per_client()
    {
        using var http = fixture.Client(HardenedGatewayNode.RateKey);
        var rest = 0;
        using (var deployed = await GatewayNode.PostJson(http, "api/runs/rate-run/deploy", GatewayNode.SmallSpec()))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
            rest++;
        }

        for (var i = 0; i < 40; i++, rest++)
        {
            using var injected = await GatewayNode.PostJson(http, "api/runs/rate-run/inject", """{"inputs":[{"tick":5,"neuron":1,"weight":1}]}""");
            Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", HardenedGatewayNode.RateKey);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=rate-run"), cancel.Token);
        var accepted = 0;
        JsonElement reply;
        while ((reply = await GatewaySpikeTests.Command(socket, """{"type":"inject","inputs":[{"tick":5,"neuron":1,"weight":1}]}""", cancel.Token))
            .GetProperty("type").GetString() == "injected")
        {
            accepted++;
            Assert.True(accepted <= HardenedGatewayNode.MutationsPerWindow, "the WebSocket took more injects than one window allows");
        }

        Assert.Equal(429, reply.GetProperty("status").GetInt32());
        Assert.Equal(HardenedGatewayNode.MutationsPerWindow - rest, accepted);

        // And the socket's injects count against REST: the client's budget is spent there too.
        using var refused = await GatewayNode.PostJson(http, "api/runs/rate-run/inject", """{"inputs":[{"tick":5,"neuron":1,"weight":1}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
    }

    [Fact]
    public async Task Enums_are_names_on_rest_and_the_websocket_and_duplicate_keys_are_refused_everywhere()
    {
        using var http = fixture.Client();
        using (var deployed = await GatewayNode.PostJson(http, "api/runs/dialect-run/deploy", GatewayNode.SmallSpec()))
        {
            Assert.Equal("Deployed", (await deployed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
        }

        var before = (await GatewayNode.Status(http, "dialect-run"))!.Value.GetRawText();
        Assert.Contains("\"seed\":", GatewayNode.SmallSpec(), StringComparison.Ordinal);
        foreach (var (path, body) in new[]
        {
            ("api/runs/dialect-run/step", """{"ticks":1,"ticks":2}"""),
            ("api/runs/dialect-run/inject", """{"inputs":[{"tick":5,"neuron":1,"neuron":2,"weight":1}]}"""),
            ("api/runs/dialect-dup/deploy", GatewayNode.SmallSpec().Replace("\"seed\":", "\"seed\": 1, \"seed\":", StringComparison.Ordinal)),
        })
        {
            using var response = await GatewayNode.PostJson(http, path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Contains("duplicate", text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, (await GatewayNode.Status(http, "dialect-run"))!.Value.GetRawText());
        Assert.Null(await GatewayNode.Status(http, "dialect-dup"));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", HardenedGatewayNode.Key);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.HttpPort}/spikes/ws?run=dialect-run"), cancel.Token);
        var duplicate = await GatewaySpikeTests.Command(socket, """{"type":"inject","type":"filter","inputs":[{"tick":5,"neuron":1,"weight":1}]}""", cancel.Token);
        Assert.Equal(("error", 400), (duplicate.GetProperty("type").GetString(), duplicate.GetProperty("status").GetInt32()));
        var injected = await GatewaySpikeTests.Command(socket, """{"type":"inject","inputs":[{"tick":5,"neuron":1,"weight":1}]}""", cancel.Token);
        Assert.Equal("injected", injected.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.String, injected.GetProperty("status").GetProperty("phase").ValueKind);
        Assert.Equal("Deployed", injected.GetProperty("status").GetProperty("phase").GetString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
    }

    /// <summary>An RFC 9457 problem (type, title, status) whose text names no .NET type, assembly, silo or stack frame.</summary>
    internal static void AssertCleanProblem(string what, HttpResponseMessage response, string text)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("title", out _) && problem.TryGetProperty("status", out _) && problem.TryGetProperty("type", out _), $"{what}: {text}");
        foreach (var leak in new[] { "System.", "NeuroMesh.", "Orleans", "`1", "S127.0.0.1", "   at ", "Exception" })
        {
            Assert.False(text.Contains(leak, StringComparison.Ordinal), $"{what}: the problem leaks '{leak}': {text}");
        }
    }

    private static JsonObject WithPopulationSize(JsonObject spec, int population, int size)
    {
        spec["populations"]![population]!["size"] = size;
        return spec;
    }

    private static JsonObject AllToAll(JsonObject spec)
    {
        spec["projections"]![0]!["rule"] = new JsonObject { ["kind"] = "all_to_all" };
        return spec;
    }

    private static JsonObject InDegree(JsonObject spec, int n)
    {
        spec["projections"]![0]!["rule"] = new JsonObject { ["kind"] = "fixed_in_degree", ["n"] = n };
        return spec;
    }

    // The projections' delays would be refused first at such a dt (more than 65535 ticks); without them only the ticks are.
    private static JsonObject WithoutProjections(JsonObject spec)
    {
        spec.Remove("projections");
        return spec;
    }

    private static JsonObject Set(JsonObject spec, string name, double value)
    {
        spec[name] = value;
        return spec;
    }
}
