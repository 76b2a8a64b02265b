using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using NeuroMesh.Network;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Reads a request body as JSON, strictly: at most <see cref="GatewayOptions.MaxBodyBytes"/> (413 above it), unknown
/// members, duplicate keys, missing required members, wrong types, out-of-range numbers and null where a value is needed
/// are a 400 that names the field by its JSON path (and says what was wrong in JSON terms, never with .NET type names).
/// </summary>
internal static class JsonBody
{
    /// <summary>The request options: camelCase, strict.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>The body as text, or the 413/400 answer.</summary>
    public static async Task<(string? Text, IResult? Error)> ReadText(HttpContext context)
    {
        var max = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            return (null, TooLarge(max));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return (null, TooLarge(max));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, GatewayProblems.Invalid("$", "a JSON request body is required"));
        }

        try
        {
            return (new System.Text.UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return (null, GatewayProblems.Invalid("$", "the request body is not valid UTF-8"));
        }
    }

    /// <summary>The body as <typeparamref name="T"/>, or the 413/400 answer.</summary>
    public static async Task<(T? Value, IResult? Error)> Read<T>(HttpContext context)
        where T : class
    {
        var (text, error) = await ReadText(context);
        if (error is not null)
        {
            return (null, error);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text!, Options);
            return value is null ? (null, GatewayProblems.Invalid("$", "the request body must be a JSON object, not null")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, GatewayProblems.Invalid(e.Path ?? "$", JsonErrors.Describe(e)));
        }
    }

    private static IResult TooLarge(int max)
        => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"the request body is larger than NeuroMesh:Gateway:MaxBodyBytes ({max} bytes)");
}
