using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuroMesh.Network;

namespace NeuroMesh.Simulation;

/// <summary>
/// Changes to a spec for a forked run: a JSON merge patch (RFC 7386) and <c>PATH=VALUE</c> settings, where PATH is dotted
/// property names and an array element is picked by its <c>name</c> (<c>populations.E.params.tauM=25</c>,
/// <c>stimuli.drive.rate=30</c>, <c>projections.E_all_E.plasticity=null</c>). VALUE is JSON, or else a string.
/// </summary>
public static class SpecEdits
{
    /// <summary>Applies <paramref name="mergePatch"/> (may be null) then <paramref name="sets"/> to <paramref name="specJson"/> and validates the result.</summary>
    /// <returns>The edited spec.</returns>
    /// <exception cref="ArgumentException">A setting is malformed or names nothing, or the edited spec is invalid (the message names the path).</exception>
    public static NetworkSpec Apply(string specJson, string? mergePatch, IReadOnlyList<string> sets)
    {
        var root = JsonNode.Parse(specJson) ?? throw new ArgumentException("the spec is empty", nameof(specJson));
        if (!string.IsNullOrWhiteSpace(mergePatch))
        {
            JsonNode? patch;
            try
            {
                patch = JsonNode.Parse(mergePatch);
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"the spec patch is not JSON: {e.Message}", nameof(mergePatch));
            }

            root = Merge(root, patch) ?? throw new ArgumentException("the spec patch removes the whole spec", nameof(mergePatch));
        }

        foreach (var set in sets)
        {
            Set(root, set);
        }

        try
        {
            return NetworkSpec.Parse(root.ToJsonString());
        }
        catch (NetworkSpecException e)
        {
            throw new ArgumentException($"the changed spec is invalid: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(sets));
        }
    }

    private static void Set(JsonNode root, string set)
    {
        var at = set.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new ArgumentException($"'{set}' is not PATH=VALUE (for example populations.E.params.tauM=25)", nameof(set));
        }

        var path = set[..at].Split('.');
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(set[(at + 1)..]);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(set[(at + 1)..]);
        }

        var node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = Child(node, path[i]) ?? throw new ArgumentException($"'{set}': the spec has nothing at '{string.Join('.', path[..(i + 1)])}'", nameof(set));
        }

        switch (node)
        {
            case JsonObject obj:
                obj[path[^1]] = value;
                break;
            case JsonArray array when Named(array, path[^1]) is { } index:
                array[index] = value;
                break;
            default:
                throw new ArgumentException($"'{set}': '{string.Join('.', path[..^1])}' holds no '{path[^1]}'", nameof(set));
        }
    }

    private static JsonNode? Child(JsonNode node, string key) => node switch
    {
        JsonObject obj => obj[key],
        JsonArray array => Named(array, key) is { } i ? array[i] : int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < array.Count ? array[k] : null,
        _ => null,
    };

    private static int? Named(JsonArray array, string name)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject o && o["name"]?.GetValueKind() == JsonValueKind.String && o["name"]!.GetValue<string>() == name)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>RFC 7386: objects merge key by key, null removes, anything else replaces.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject.ToArray())
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key]?.DeepClone(), value);
            }
        }

        return result;
    }
}
