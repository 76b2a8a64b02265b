using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Network;

/// <summary>Reads a bare number as a constant <see cref="DistributionSpec"/>, an object as any kind; writes constants as numbers.</summary>
public sealed class DistributionSpecConverter : JsonConverter<DistributionSpec>
{
    /// <inheritdoc />
    public override DistributionSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number || reader.TokenType == JsonTokenType.String)
        {
            return DistributionSpec.Constant(JsonSerializer.Deserialize<double>(ref reader, options));
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a number or a distribution object such as {\"kind\": \"uniform\", \"low\": 0, \"high\": 1}");
        }

        var spec = new DistributionSpec();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            spec = name switch
            {
                "kind" => spec with { Kind = reader.GetString() ?? "" },
                "value" => spec with { Value = JsonSerializer.Deserialize<double>(ref reader, options) },
                "low" => spec with { Low = JsonSerializer.Deserialize<double>(ref reader, options) },
                "high" => spec with { High = JsonSerializer.Deserialize<double>(ref reader, options) },
                "mean" => spec with { Mean = JsonSerializer.Deserialize<double>(ref reader, options) },
                "sd" => spec with { Sd = JsonSerializer.Deserialize<double>(ref reader, options) },
                _ => throw new JsonException($"unknown distribution member '{name}'; expected kind, value, low, high, mean or sd"),
            };
        }

        return spec;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DistributionSpec value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case DistributionKinds.Constant:
                JsonSerializer.Serialize(writer, value.Value, options);
                break;
            case DistributionKinds.Uniform:
                writer.WriteStartObject();
                writer.WriteString("kind", value.Kind);
                writer.WritePropertyName("low");
                JsonSerializer.Serialize(writer, value.Low, options);
                writer.WritePropertyName("high");
                JsonSerializer.Serialize(writer, value.High, options);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("kind", value.Kind);
                writer.WritePropertyName("mean");
                JsonSerializer.Serialize(writer, value.Mean, options);
                writer.WritePropertyName("sd");
                JsonSerializer.Serialize(writer, value.Sd, options);
                writer.WriteEndObject();
                break;
        }
    }
}
