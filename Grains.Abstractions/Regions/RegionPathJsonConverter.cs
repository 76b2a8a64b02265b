using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Regions;

/// <summary>Reads and writes a <see cref="RegionPath"/> as its normalised string, as a value or as a property name.</summary>
public sealed class RegionPathJsonConverter : JsonConverter<RegionPath>
{
    /// <inheritdoc />
    public override RegionPath Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A region path must be a JSON string (got {reader.TokenType}).");
        }

        return ParseOrThrow(reader.GetString());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RegionPath value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    /// <inheritdoc />
    public override RegionPath ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ParseOrThrow(reader.GetString());

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, RegionPath value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.ToString());
    }

    private static RegionPath ParseOrThrow(string? text)
        => RegionPath.TryParse(text, out var path, out var error) ? path : throw new JsonException(error);
}
