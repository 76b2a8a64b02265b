using System.Text.Json;
using System.Text.RegularExpressions;

namespace NeuroMesh.Network;

/// <summary>
/// What was wrong with a JSON document, said in JSON terms: System.Text.Json's messages name .NET types
/// (<c>System.Collections.Generic.IReadOnlyList`1[...]</c>, <c>NeuroMesh.Silo.Http.StepRequest</c>), which mean nothing
/// to a client and tell an attacker what runs the server. The JSON path is given separately (<see cref="JsonException.Path"/>).
/// </summary>
public static partial class JsonErrors
{
    /// <summary>The reason <paramref name="e"/> gives, without type names or line positions.</summary>
    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        if (Converted().Match(message) is { Success: true } converted)
        {
            // For a constructor parameter the message names the declaring type, so the cause says more: a token read as
            // the wrong kind, or a number out of its type's range.
            var cause = e.InnerException?.Message ?? string.Empty;
            return TokenKind().Match(cause) is { Success: true } kind ? $"the value is not a {kind.Groups["kind"].Value}"
                : OutOfBounds().Match(cause) is { Success: true } bounds ? $"the value is not {Expected("System." + bounds.Groups["type"].Value)}"
                : $"the value is not {Expected(converted.Groups["type"].Value)}";
        }

        if (Duplicate().Match(message) is { Success: true } duplicate)
        {
            return $"duplicate key '{duplicate.Groups["name"].Value}' (each key may appear once in an object)";
        }

        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            return $"unknown member '{unmapped.Groups["name"].Value}'";
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            return $"missing required member(s) {missing.Groups["names"].Value}";
        }

        if (NullParameter().Match(message) is { Success: true } nullParameter)
        {
            return $"'{JsonNamingPolicy.CamelCase.ConvertName(nullParameter.Groups["name"].Value)}' must not be null";
        }

        return Clean(message);
    }

    /// <summary><paramref name="message"/> without line positions; a message that still names a type becomes a plain "invalid JSON".</summary>
    public static string Clean(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Position().Replace(message, string.Empty).Trim();
        return TypeName().IsMatch(text) ? "invalid JSON" : text;
    }

    // The JSON kind a .NET type is written as.
    private static string Expected(string type)
    {
        var bare = type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? type["System.Nullable`1[".Length..].TrimEnd(']') : type;
        return bare switch
        {
            _ when bare.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when bare.Contains("List`", StringComparison.Ordinal) || bare.Contains("Enumerable`", StringComparison.Ordinal) || bare.EndsWith("[]", StringComparison.Ordinal) => "an array",
            "System.Int16" or "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.UInt64" or "System.Byte" or "System.SByte" => "an integer in range",
            "System.Double" or "System.Single" or "System.Decimal" => "a number in range",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.Text.Json.JsonElement" => "valid JSON",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex Converted();

    [GeneratedRegex(@"as an? (?<kind>string|number|boolean)\b")]
    private static partial Regex TokenKind();

    [GeneratedRegex(@"out of bounds for an? (?<type>[A-Za-z0-9]+)")]
    private static partial Regex OutOfBounds();

    [GeneratedRegex(@"[Dd]uplicate property '(?<name>[^']*)'")]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"missing required properties including: (?<names>.*?)\.?$")]
    private static partial Regex Missing();

    [GeneratedRegex(@"parameter '(?<name>[^']*)' on type '[^']*' doesn't allow null")]
    private static partial Regex NullParameter();

    [GeneratedRegex(@"\s*(Path: \S*)?\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Position();

    [GeneratedRegex(@"\b(System|Microsoft|NeuroMesh|Orleans)\.[A-Za-z]|`\d")]
    private static partial Regex TypeName();
}
