using System.Text.Json;
using System.Text.Json.Serialization;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Network;

/// <summary>System.Text.Json's own failures, said in JSON terms: what was wrong, never which .NET type was involved.</summary>
[Trait("Tier", "Unit")]
public class JsonErrorsTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    [Theory]
    [InlineData("""{"items":5,"count":1,"name":"a"}""", "$.items", "the value is not an array")]
    [InlineData("""{"items":[],"count":"x","name":"a"}""", "$.count", "the value is not an integer in range")]
    [InlineData("""{"items":[],"count":99999999999,"name":"a"}""", "$.count", "the value is not an integer in range")]
    [InlineData("""{"items":[],"count":1,"name":{}}""", "$.name", "the value is not a string")]
    [InlineData("""{"items":[{"x":1}],"count":1,"name":"a"}""", "$.items[0]", "the value is not a number")]
    [InlineData("""{"items":[],"count":1e3,"name":"a"}""", "$.count", "the value is not an integer in range")]
    [InlineData("""{"items":[],"count":true,"name":"a"}""", "$.count", "the value is not a number")]
    [InlineData("""{"items":[],"count":1,"count":2,"name":"a"}""", "$", "duplicate key 'count'")]
    [InlineData("""{"items":[],"count":1,"name":"a","extra":true}""", "$", "unknown member 'extra'")]
    [InlineData("""{"items":[],"name":"a"}""", "$", "missing required member(s) 'count'")]
    [InlineData("""{"items":[],"count":1,"name":null}""", "$", "'name' must not be null")]
    public void A_failure_names_what_was_wrong_without_type_names(string json, string path, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Probe>(json, Strict));
        var described = JsonErrors.Describe(e);
        Assert.StartsWith(expected, described, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", described, StringComparison.Ordinal);
        Assert.DoesNotContain("Probe", described, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Path ?? "$", StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_keeps_its_reason_without_the_position()
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Probe>("{\"items\":[1,}", Strict));
        var described = JsonErrors.Describe(e);
        Assert.DoesNotContain("LineNumber", described, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(described));
    }

    [Fact]
    public void A_spec_with_a_wrong_type_or_a_duplicate_key_is_refused_in_json_terms()
    {
        var wrong = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("""{"dt":0.1,"duration":10,"populations":5}"""));
        Assert.Equal(("$.populations", "the value is not an array"), (wrong.Errors[0].Path, wrong.Errors[0].Message));
        var duplicate = Assert.Throws<NetworkSpecException>(() => NetworkSpec.Parse("""{"dt":0.1,"dt":0.2,"duration":10}"""));
        Assert.StartsWith("duplicate key 'dt'", duplicate.Errors[0].Message, StringComparison.Ordinal);
    }

    private sealed record Probe(IReadOnlyList<double> Items, int Count, string Name);
}
