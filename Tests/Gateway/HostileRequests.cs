using System.Text;
using System.Text.Json;

namespace NeuroMesh.Tests.Gateway;

/// <summary>One operation of the gateway's OpenAPI document: its method, path template and declared parameters.</summary>
public sealed record GatewayOperation(string Method, string Path, IReadOnlyList<(string Name, string In, string Type)> Parameters)
{
    /// <summary>Every operation the document lists.</summary>
    public static IReadOnlyList<GatewayOperation> From(JsonElement openApi)
        => [.. openApi.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(op => new GatewayOperation(
            op.Name.ToUpperInvariant(),
            path.Name,
            op.Value.TryGetProperty("parameters", out var ps)
                ? [.. ps.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, TypeOf(p)))]
                : []))).OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)];

    private static string TypeOf(JsonElement parameter)
        => parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type[0].GetString()! : type.GetString()!
            : "string";
}

/// <summary>A generated request and the poison that makes it invalid whatever else it carries.</summary>
public sealed record HostileRequest(string Method, string Path, string? ContentType, byte[]? Body, string Poison)
{
    public override string ToString()
        => $"{Method} {Path} [{Poison}] {(Body is null ? "" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 300)]))}";
}

/// <summary>
/// A seeded generator of hostile requests over the gateway's operations. Every request carries at least one poison that
/// no valid request has, so the only right answer is a 4xx: a wrong method, a path value that no run, neuron or example
/// can have, a query value out of its domain, or a body that is malformed, of the wrong shape, too deep, not UTF-8, holds
/// a duplicate or an unknown key. Around the poison it puts plausible noise (known member names with random values), so
/// the handlers behind the first check are reached too. It never names <see cref="Target"/> where a request without a
/// body could change it, and never opens a live tap on it.
/// </summary>
public sealed class HostileRequests(int seed, string target, int maxBodyBytes)
{
    // Members the gateway's bodies and specs know: noise that reaches the deeper checks.
    private static readonly string[] Members =
    [
        "ticks", "inputs", "tick", "neuron", "weight", "channel", "toTick", "silos", "fromSnapshot", "from", "set", "specPatch",
        "region", "spec", "populations", "refractoryTicks", "params", "target", "delayMs", "behaviour", "name", "neuronId",
        "capabilities", "regions", "metadata", "dt", "duration", "seed", "projections", "stimuli", "monitors", "size", "rule",
    ];

    private static readonly string[] Bodiless = ["/start", "/pause", "/stop"];

    // Path values that are no run id (characters outside [A-Za-z0-9-_.] or longer than 128), no neuron id (not a uint) and no example.
    private static readonly string[] BadPathValues =
    [
        "a b", "..%2F..%2Fetc", "%00", "x%0Ay", "<script>", "'%20OR%201=1", new('r', 200), "%E2%80%AE", "%C3%A9t%C3%A9", "1%2C2", "%7B%7D", "a%22b",
    ];

    // Query values out of the domain of the numeric parameters (bins, silos, pace, tick).
    private static readonly string[] BadNumbers = ["abc", "-1", "1e999", "NaN", "-Infinity", "99999999999999999999", "0x10", "1%2C5", "", "%00"];

    private readonly Random _random = new(seed);

    /// <summary>The run the poisoned requests may aim at (with a body that cannot pass) to reach the handlers.</summary>
    public string Target => target;

    /// <summary>A hostile request for <paramref name="op"/>.</summary>
    public HostileRequest Next(GatewayOperation op, IReadOnlySet<string> methodsOfPath)
    {
        // start, pause and stop read no body: a body is no poison there.
        var takesBody = op.Method is "POST" or "PUT" && !Bodiless.Any(b => op.Path.EndsWith(b, StringComparison.Ordinal));
        var pathParams = op.Parameters.Where(p => p.In == "path").ToArray();
        var numericQuery = op.Parameters.Where(p => p.In == "query" && p.Type is "integer" or "number").ToArray();
        var choices = new List<string> { "method" };
        if (pathParams.Length > 0 && !(op.Path.EndsWith("/deploy", StringComparison.Ordinal) || op.Path.EndsWith("/fork", StringComparison.Ordinal)))
        {
            choices.Add("path");
        }

        if (numericQuery.Length > 0)
        {
            choices.Add("query");
        }

        if (takesBody)
        {
            choices.AddRange(["body", "body", "body"]);
        }

        if (op.Path == "/spikes/stream")
        {
            choices.Add("tap");
        }

        if (op.Path == "/api/agents" && op.Method == "GET")
        {
            choices.Add("agents");
        }

        if (op.Path == "/api/regions")
        {
            choices.Add("regions");
        }

        var poison = Pick([.. choices]);
        var method = poison == "method" ? Pick([.. new[] { "GET", "POST", "PUT", "DELETE", "PATCH" }.Where(m => !methodsOfPath.Contains(m))]) : op.Method;

        // Path values: the poison's bad value, or (behind another poison) the target or an unknown but valid-looking id.
        // A request without a body never names the target: start, pause and stop would change it.
        var path = op.Path;
        foreach (var (name, _, _) in pathParams)
        {
            var value = poison == "path" ? Pick(BadPathValues)
                : takesBody && poison == "body" && _random.Next(2) == 0 ? target
                : Pick(BadPathValues);
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        var query = new List<string>();
        foreach (var (name, _, _) in numericQuery)
        {
            if (poison == "query" || _random.Next(3) == 0)
            {
                query.Add($"{name}={Pick(BadNumbers)}");
            }
        }

        switch (poison)
        {
            case "tap":
                // Named target: a filter that cannot pass; otherwise a run id no run can have.
                query.Add(_random.Next(2) == 0
                    ? $"run={target}&" + Pick(["maxRate=0", "maxRate=-5", "maxRate=abc", "population=NOPE", "from=9&to=2", "from=-1"])
                    : $"run={Pick(BadPathValues)}");
                break;
            case "agents":
                query.Add(_random.Next(2) == 0 ? "region=fuzz" : "capability=x&match=" + Pick(["some", "both", "none", "any,all"]));
                break;
            case "regions":
                query.Add("path=" + Pick(["", "..", "a%20b", "/", "a//b", new string('p', 600)]));
                break;
        }

        if (_random.Next(4) == 0)
        {
            query.Add($"zz{_random.Next(1000)}={Pick(BadNumbers)}");
        }

        if (query.Count > 0)
        {
            path += "?" + string.Join('&', query);
        }

        var (contentType, body) = takesBody || poison == "body" ? Body(poison == "body") : (null, null);
        return new HostileRequest(method, path.TrimStart('/'), contentType, body, poison);
    }

    // A body; when it is the poison, one that no handler can take.
    private (string ContentType, byte[] Body) Body(bool poisoned)
    {
        var contentType = Pick(["application/json", "application/json", "text/plain", "application/xml", "application/json; charset=latin1"]);
        if (!poisoned)
        {
            return (contentType, Encoding.UTF8.GetBytes(Value(2).ToString()));
        }

        var kind = _random.Next(9);
        var text = kind switch
        {
            0 => Pick(["{", "[1,", "\"open", "{}}", "{\"ticks\":}", "{'ticks':1}", "{\"a\" 1}", "nul", "\u0000", " "]),
            1 => Pick(["null", "5", "\"text\"", "[]", "true", "[{}]", "-0", "1e999"]),
            2 => WithMember(Object(), $"zz_fuzz_{_random.Next(1000)}", Value(2)),
            3 => Duplicate(),
            4 => new string('[', 200) + new string(']', 200),
            5 => WithMember(Object(), Pick(Members), Value(1)) + "trailing",
            6 => WithMember(Object(), $"zz_big_{_random.Next(10)}", "\"" + new string('x', maxBodyBytes) + "\""),
            7 => "invalid-utf8",
            _ => WithMember(Object(), "zz_number", Pick(["1e999", "-1e999", "99999999999999999999999999", "NaN", "Infinity", "0x1F", "01"])),
        };

        if (text == "invalid-utf8")
        {
            var bytes = Encoding.UTF8.GetBytes(WithMember(Object(), Pick(Members), "\"__\""));
            var at = Array.IndexOf(bytes, (byte)'_');
            bytes[at] = 0xC3;
            bytes[at + 1] = 0x28;
            return (contentType, bytes);
        }

        return (contentType, Encoding.UTF8.GetBytes(text));
    }

    // An object of 0 to 4 known members with random values.
    private string Object()
    {
        var members = Enumerable.Range(0, _random.Next(5)).Select(_ => Pick(Members)).Distinct(StringComparer.Ordinal);
        return "{" + string.Join(",", members.Select(m => $"\"{m}\":{Value(2)}")) + "}";
    }

    private string Duplicate()
    {
        var name = Pick(Members);
        return WithMember(WithMember(Object(), name, Value(1)), name, Value(1));
    }

    private static string WithMember(string obj, string name, string value)
        => obj == "{}" ? $"{{\"{name}\":{value}}}" : obj[..^1] + $",\"{name}\":{value}}}";

    // A random JSON value, nested at most depth deep.
    private string Value(int depth) => (depth <= 0 ? _random.Next(7) : _random.Next(9)) switch
    {
        0 => "null",
        1 => Pick(["true", "false"]),
        2 => Pick(["0", "-1", "1", "2147483648", "4294967295", "-9223372036854775808", "1e308", "0.1", "-0.0", "123456789012345678901234567890"]),
        3 => "\"" + Pick(["", "x", "excitatory", "inhibitory", "fuzz/r", "E", "a b", "\\u0000", "\\ud800", "..", new string('s', 300)]) + "\"",
        4 => "\"" + _random.Next() + "\"",
        5 => "[]",
        6 => "{}",
        7 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => $"\"{Pick(Members)}\":{Value(depth - 1)}").Distinct(StringComparer.Ordinal)) + "}",
    };

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
