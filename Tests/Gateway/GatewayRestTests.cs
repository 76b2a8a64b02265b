using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NeuroMesh.Tests.Gateway;

/// <summary>The REST gateway of a real node: a run driven end to end, auth, validation, body limits, rate limits and OpenAPI.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayRestTests(GatewayNode fixture)
{
    [Fact]
    public async Task A_snapshot_is_exported_and_a_run_forked_from_it_over_rest()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/rest-snap/deploy", GatewayNode.SmallSpec(100));
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        for (var i = 0; i < 10; i++)
        {
            using var stepped = await GatewayNode.PostJson(http, "api/runs/rest-snap/step", """{"ticks": 20}""");
            Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        }

        // The default is a snapshot every 10 checkpoints: tick 200 here (a pause logs it once written).
        using (await http.PostAsync(new Uri("api/runs/rest-snap/pause", UriKind.Relative), null))
        {
        }

        using var file = await http.GetAsync(new Uri("api/runs/rest-snap/snapshots/200", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/octet-stream", file.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("NMSNAP", Encoding.ASCII.GetString(await file.Content.ReadAsByteArrayAsync())[..6]);
        using var none = await http.GetAsync(new Uri("api/runs/rest-snap/snapshots/100", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("no snapshot of tick 100", await none.Content.ReadAsStringAsync());

        using var forked = await GatewayNode.PostJson(http, "api/runs/rest-fork/fork", """{"from": "rest-snap", "tick": 200, "set": ["stimuli.drive_E.rate=25"]}""");
        var fork = await forked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, forked.StatusCode);
        Assert.Equal((200, "rest-snap"), (fork.GetProperty("tick").GetInt64(), fork.GetProperty("forkedFrom").GetString()));
        using var bad = await GatewayNode.PostJson(http, "api/runs/rest-fork2/fork", """{"from": "rest-snap", "tick": 200, "set": ["nothing"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("$.set", await bad.Content.ReadAsStringAsync());
        Assert.Null(await GatewayNode.Status(http, "rest-fork2"));
    }

    [Fact]
    public async Task A_run_is_deployed_stepped_and_inspected_over_rest()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/rest-flow/deploy", GatewayNode.SmallSpec(100));
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        Assert.Equal("Deployed", (await deployed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());

        using var stepped = await GatewayNode.PostJson(http, "api/runs/rest-flow/step", """{"ticks": 400}""");
        var status = await stepped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        Assert.Equal(400, status.GetProperty("tick").GetInt64());
        Assert.Equal("Paused", status.GetProperty("phase").GetString());

        var populations = await http.GetFromJsonAsync<JsonElement>("api/runs/rest-flow/populations");
        Assert.Equal(["E:0:800", "I:800:200"], populations.EnumerateArray().Select(p => $"{p.GetProperty("name")}:{p.GetProperty("first")}:{p.GetProperty("size")}"));

        var shards = await http.GetFromJsonAsync<JsonElement>("api/runs/rest-flow/shards");
        Assert.Equal(400, shards[0].GetProperty("tick").GetInt64());

        var weights = await http.GetFromJsonAsync<JsonElement>("api/runs/rest-flow/weights?bins=10");
        Assert.Equal(shards[0].GetProperty("synapses").GetInt64(), weights.GetProperty("synapses").GetInt64());
        Assert.Equal(weights.GetProperty("sampled").GetInt32(), weights.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt32()));

        // And what does not hold by construction: delta_delays has 100,000 synapses, so the sample is the full 10,000, and
        // an even stride over them reaches both of the spec's weight extremes (-1.0 inhibitory, 0.2 excitatory).
        var specWeights = JsonNodeOf(GatewayNode.SmallSpec())["projections"]!.AsArray().Select(p => p!["weight"]!.GetValue<double>()).ToArray();
        Assert.Equal(10_000, weights.GetProperty("sampled").GetInt32());
        Assert.Equal(specWeights.Min(), weights.GetProperty("min").GetDouble(), 3);
        Assert.Equal(specWeights.Max(), weights.GetProperty("max").GetDouble(), 3);

        var cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster?run=rest-flow");
        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.True(silo.GetProperty("ringCount").GetInt32() > 0);
        Assert.Single(silo.GetProperty("shards").EnumerateArray());

        using var replayed = await GatewayNode.PostJson(http, "api/runs/rest-flow/replay", "{}");
        var replay = await replayed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(400, replay.GetProperty("tick").GetInt64());
        Assert.Equal(status.GetProperty("spikeTrainHash").GetString(), replay.GetProperty("spikeTrainHash").GetString());
        Assert.NotEmpty(replay.GetProperty("verified").EnumerateArray());

        using var injected = await GatewayNode.PostJson(http, "api/runs/rest-flow/inject", """{"inputs":[{"tick":410,"neuron":3,"weight":50}]}""");
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);

        using var stopped = await http.PostAsync(new Uri("api/runs/rest-flow/stop", UriKind.Relative), null);
        Assert.Equal("Stopped", (await stopped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Regions_neurons_synapses_and_agents_are_created_edited_and_found()
    {
        using var http = fixture.Client();
        using var configured = await Put(http, "api/neurons/4242", """{"region":"gw/motor","refractoryTicks":2,"params":{"tauM":20}}""");
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        using var edited = await Put(http, "api/neurons/4242", """{"region":"gw/motor","refractoryTicks":3}""");
        Assert.Equal(3, (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refractoryTicks").GetInt32());

        using var connected = await Put(http, "api/neurons/4242/synapses", """{"target":4243,"weight":0.5,"delayMs":1}""");
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        var synapses = await http.GetFromJsonAsync<JsonElement>("api/neurons/4242/synapses");
        Assert.Equal(4243u, Assert.Single(synapses.EnumerateArray()).GetProperty("target").GetUInt32());
        using var disconnected = await http.DeleteAsync(new Uri("api/neurons/4242/synapses/4243", UriKind.Relative));
        Assert.True((await disconnected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetBoolean());

        using var member = await GatewayNode.PostJson(http, "api/regions/members", """{"region":"gw/sensory","neuron":77}""");
        Assert.True((await member.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetBoolean());
        var region = await http.GetFromJsonAsync<JsonElement>("api/regions?path=gw/sensory");
        Assert.Equal([77u], region.GetProperty("members").EnumerateArray().Select(m => m.GetUInt32()));

        using var registered = await GatewayNode.PostJson(http, "api/agents", """{"region":"gw/motor","name":"arm","neuronId":4242,"capabilities":["Grasp","reach"]}""");
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var found = await http.GetFromJsonAsync<JsonElement>("api/agents?capability=grasp&region=gw");
        Assert.Equal("arm", Assert.Single(found.EnumerateArray()).GetProperty("name").GetString());
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/agents?capability=fly&region=gw")).EnumerateArray());
    }

    [Fact]
    public async Task An_unauthenticated_mutation_gets_401_and_changes_nothing()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/auth-run/deploy", GatewayNode.SmallSpec());
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        var before = (await GatewayNode.Status(http, "auth-run"))!.Value.GetRawText();

        using var anonymous = fixture.Client(key: null);
        using var wrong = fixture.Client(key: "wrong-key-0123456789abcdef");
        using var bearer = fixture.Client(key: null);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayNode.Key + "x");
        foreach (var client in new[] { anonymous, wrong, bearer })
        {
            foreach (var (path, body) in new[]
            {
                ("api/runs/auth-other/deploy", GatewayNode.SmallSpec()),
                ("api/runs/auth-run/step", """{"ticks":10}"""),
                ("api/runs/auth-run/start", "{}"),
                ("api/runs/auth-run/stop", "{}"),
                ("api/runs/auth-run/inject", """{"inputs":[{"tick":0,"neuron":1,"weight":5}]}"""),
                ("api/regions/members", """{"region":"auth/r","neuron":1}"""),
                ("api/agents", """{"region":"auth/r","name":"x","neuronId":1}"""),
            })
            {
                using var response = await GatewayNode.PostJson(client, path, body);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Contains("API key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var put = await Put(client, "api/neurons/9001", """{"region":"auth/r"}""");
            Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        }

        // A key in the query string counts only on the spike taps (browsers cannot give EventSource/WebSocket headers), not on /api.
        using (var queryKey = await GatewayNode.PostJson(anonymous, $"api/runs/auth-run/step?apiKey={GatewayNode.Key}", """{"ticks":10}"""))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, queryKey.StatusCode);
        }

        // Reads are open by configuration; the key-holder sees nothing changed.
        Assert.Equal(before, (await GatewayNode.Status(anonymous, "auth-run"))!.Value.GetRawText());
        Assert.Null(await GatewayNode.Status(http, "auth-other"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/neurons/9001", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/regions?path=auth/r", UriKind.Relative))).StatusCode);

        // A bearer token with the right key is accepted.
        using var good = fixture.Client(key: null);
        good.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayNode.Key);
        using var stepped = await GatewayNode.PostJson(good, "api/runs/auth-run/step", """{"ticks":10}""");
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
    }

    [Fact]
    public async Task An_invalid_spec_gets_400_naming_each_json_path()
    {
        using var http = fixture.Client();
        var spec = JsonNodeOf(GatewayNode.SmallSpec());
        spec["dt"] = -1;
        spec["populations"]![1]!["size"] = -5;
        using var response = await GatewayNode.PostJson(http, "api/runs/bad-spec/deploy", spec.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
        Assert.Contains("$.dt", fields);
        Assert.Contains("$.populations[1].size", fields);
        Assert.Null(await GatewayNode.Status(http, "bad-spec"));
    }

    [Fact]
    public async Task A_step_of_a_spec_whose_custom_filter_is_not_registered_gets_400_naming_the_filter()
    {
        using var http = fixture.Client();
        var spec = System.Text.Json.Nodes.JsonNode.Parse(GatewayNode.SmallSpec(50))!;
        spec["projections"]![0]!["filter"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "custom", ["name"] = "never-registered" };
        using var deployed = await GatewayNode.PostJson(http, "api/runs/rest-filter/deploy", spec.ToJsonString());
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());

        using var stepped = await GatewayNode.PostJson(http, "api/runs/rest-filter/step", """{"ticks":10}""");
        var body = await stepped.Content.ReadAsStringAsync();
        Assert.True(stepped.StatusCode == HttpStatusCode.BadRequest, $"{(int)stepped.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Invalid network spec", problem.GetProperty("title").GetString());
        Assert.Contains("$.projections[0].filter.name", problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("'never-registered'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The run did not move, and its status names the failure.
        var status = (await GatewayNode.Status(http, "rest-filter"))!.Value;
        Assert.Equal(0, status.GetProperty("tick").GetInt64());
        Assert.Contains("never-registered", status.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_wrong_typed_huge_and_unknown_input_gets_4xx_and_changes_nothing()
    {
        using var http = fixture.Client();
        using var deployed = await GatewayNode.PostJson(http, "api/runs/fuzz-run/deploy", GatewayNode.SmallSpec());
        using var stepped = await GatewayNode.PostJson(http, "api/runs/fuzz-run/step", """{"ticks":100}""");
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        var before = (await GatewayNode.Status(http, "fuzz-run"))!.Value.GetRawText();

        var cases = new (string Method, string Path, string? Body, string? Field)[]
        {
            ("POST", "api/runs/fuzz-run/step", "{", "$"),
            ("POST", "api/runs/fuzz-run/step", "", "$"),
            ("POST", "api/runs/fuzz-run/step", "null", "$"),
            ("POST", "api/runs/fuzz-run/step", "[1,2]", "$"),
            ("POST", "api/runs/fuzz-run/step", """{"ticks":"ten"}""", "$.ticks"),
            ("POST", "api/runs/fuzz-run/step", """{"ticks":1e300}""", "$.ticks"),
            ("POST", "api/runs/fuzz-run/step", """{"ticks":-5}""", "$.ticks"),
            ("POST", "api/runs/fuzz-run/step", """{"ticks":10,"extra":true}""", "$.extra"),
            ("POST", "api/runs/fuzz-run/step", """{"tics":10}""", null),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[]}""", "$.inputs"),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":0,"neuron":1,"weight":1}]}""", null),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":200,"neuron":99999999,"weight":1}]}""", null),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":200,"neuron":1,"weight":1,"channel":"modulatory"}]}""", null),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":200,"neuron":1,"weight":1,"channel":"dopamine"}]}""", "$.inputs[0].channel"),
            ("POST", "api/runs/fuzz-run/reward", """{"amount":1}""", null),
            ("POST", "api/runs/fuzz-run/reward", """{"amount":"NaN"}""", "$.amount"),
            ("POST", "api/runs/fuzz-run/reward", """{"amount":1,"population":""}""", "$.population"),
            ("POST", "api/runs/fuzz-run/reward", """{"amount":1,"tick":-4}""", "$.tick"),
            ("POST", "api/runs/never-deployed/reward", """{"amount":1}""", null),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":200,"neuron":1,"weight":"NaN"}]}""", "$.inputs[0].weight"),
            ("POST", "api/runs/fuzz-run/inject", """{"inputs":[{"tick":99999999999999999999,"neuron":1,"weight":1}]}""", "$.inputs[0].tick"),
            ("POST", "api/runs/fuzz-run/replay", """{"toTick":999999}""", null),
            ("POST", "api/runs/fuzz-run/replay", """{"silos":-1}""", "$.silos"),
            ("POST", "api/runs/fuzz-run/deploy", GatewayNode.SmallSpec(), null),
            ("POST", "api/runs/fuzz-run/deploy?silos=-1", GatewayNode.SmallSpec(), "silos"),
            ("POST", "api/runs/fuzz-other/deploy?silos=99", GatewayNode.SmallSpec(), "silos"),
            ("POST", "api/runs/fuzz-other/deploy", """{"dt":"fast"}""", "$.dt"),
            ("POST", "api/runs/fuzz-other/deploy", """{"populations":[{"name":"E","size":1e12}]}""", null),
            ("POST", "api/runs/bad%20id!/step", """{"ticks":1}""", "id"),
            ("POST", "api/runs/never-deployed/step", """{"ticks":1}""", null),
            ("POST", "api/runs/never-deployed/start", null, null),
            ("GET", "api/runs/never-deployed", null, null),
            ("GET", "api/runs/never-deployed/shards", null, null),
            ("GET", "api/runs/fuzz-run/weights?bins=0", null, "bins"),
            ("POST", "api/runs/fuzz-run/start?pace=-3", null, "pace"),
            ("PUT", "api/neurons/4294967295", """{"region":"fuzz/r"}""", "id"),
            ("PUT", "api/neurons/-1", """{"region":"fuzz/r"}""", "id"),
            ("PUT", "api/neurons/abc", """{"region":"fuzz/r"}""", "id"),
            ("PUT", "api/neurons/9100", """{"region":"/"}""", "$.region"),
            ("PUT", "api/neurons/9100", """{"region":"Bad Region!!"}""", "$.region"),
            ("PUT", "api/neurons/9100", """{"region":"fuzz/r","refractoryTicks":-1}""", "$.refractoryTicks"),
            ("PUT", "api/neurons/9100", """{"region":"fuzz/r","params":{"tauM":"x"}}""", "$.params.tauM"),
            ("PUT", "api/neurons/9100", """{"region":null}""", "$.region"),
            ("PUT", "api/neurons/9100/synapses", """{"target":1,"weight":1}""", null),
            ("PUT", "api/neurons/9100/synapses", """{"target":4294967295,"weight":1}""", "$.target"),
            ("PUT", "api/neurons/9100/synapses", """{"target":1,"weight":1,"delayMs":-2}""", "$.delayMs"),
            ("DELETE", "api/neurons/9100/synapses/xyz", null, "target"),
            ("GET", "api/neurons/123456789", null, null),
            ("POST", "api/regions/members", """{"region":"fuzz/r","neuron":-1}""", "$.neuron"),
            ("POST", "api/regions/members", """{"region":"","neuron":1}""", "$.region"),
            ("POST", "api/regions/slice", """{"region":"fuzz/r","spec":{"dt":0},"populations":["E"]}""", "$.spec.dt"),
            ("POST", "api/regions/slice", """{"region":"fuzz/r","spec":{},"populations":[]}""", "$.populations"),
            ("POST", "api/agents", """{"region":"fuzz/r","name":"","neuronId":1}""", "$.name"),
            ("POST", "api/agents", """{"region":"fuzz/r","name":"a","neuronId":4294967295}""", "$.neuronId"),
            ("POST", "api/agents", """{"region":"fuzz/r","name":"a","neuronId":1,"regions":["NOT VALID"]}""", "$.regions[0]"),
            ("GET", "api/agents", null, "capability"),
            ("GET", "api/agents?capability=x&match=some", null, "match"),
            ("GET", "api/regions?path=..", null, "path"),
            ("GET", "api/examples/nope", null, null),
            ("GET", "spikes/stream", null, "run"),
            ("GET", "spikes/stream?run=never-deployed", null, null),
            ("GET", "spikes/stream?run=fuzz-run&population=Z", null, "population"),
            ("GET", "spikes/stream?run=fuzz-run&maxRate=0", null, "maxRate"),
        };

        foreach (var (method, path, body, field) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
            if (field is not null)
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
                var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
                Assert.True(errors.TryGetProperty(field, out _), $"{method} {path} {body}: the problem does not name {field}: {text}");
            }
        }

        Assert.Equal(before, (await GatewayNode.Status(http, "fuzz-run"))!.Value.GetRawText());
        Assert.Null(await GatewayNode.Status(http, "fuzz-other"));
        Assert.Null(await GatewayNode.Status(http, "never-deployed"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/neurons/9100", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/regions?path=fuzz/r", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_oversize_body_gets_413()
    {
        using var http = fixture.Client();
        var huge = "{\"ticks\":1" + new string(' ', GatewayNode.MaxBodyBytes) + "}";
        using var response = await GatewayNode.PostJson(http, "api/runs/big/step", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // Without a Content-Length (chunked), the limit holds while reading.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/runs/big/deploy", UriKind.Relative)) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Null(await GatewayNode.Status(http, "big"));
    }

    [Fact]
    public async Task A_flood_of_mutations_gets_429_once_the_clients_budget_is_spent()
    {
        using var flood = fixture.Client(GatewayNode.FloodKey);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < GatewayNode.MutationsPerWindow + 20; i++)
        {
            using var response = await GatewayNode.PostJson(flood, "api/runs/flooded/step", """{"ticks":1}""");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(GatewayNode.MutationsPerWindow), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.All(statuses.Skip(GatewayNode.MutationsPerWindow), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // The budget is per client: the other key is not limited by this flood.
        using var http = fixture.Client();
        using var other = await GatewayNode.PostJson(http, "api/runs/flooded/step", """{"ticks":1}""");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_rest_endpoints()
    {
        using var http = fixture.Client(key: null);
        var document = await http.GetFromJsonAsync<JsonElement>("openapi");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        foreach (var path in new[] { "/api/runs/{id}/deploy", "/api/runs/{id}/step", "/api/runs/{id}/inject", "/api/runs/{id}/replay", "/api/neurons/{id}/synapses", "/api/agents", "/api/cluster", "/spikes/stream" })
        {
            Assert.Contains(path, paths);
        }
    }

    private static Task<HttpResponseMessage> Put(HttpClient http, string path, string json)
        => http.PutAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static System.Text.Json.Nodes.JsonObject JsonNodeOf(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}
