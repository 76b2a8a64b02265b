using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Network;

/// <summary>
/// The JSON settings of <see cref="NetworkSpec"/>: camelCase names, unknown members and duplicate keys rejected, NaN/Infinity
/// readable (so that the validator can name them).
/// </summary>
public static class NetworkSpecJson
{
    /// <summary>The serializer options used by <see cref="NetworkSpec.Parse"/> and <see cref="NetworkSpec.ToJson"/>.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };
}
