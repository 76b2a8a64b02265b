using System.Text.Json;
using NeuroMesh.Regions;

namespace NeuroMesh.Tests.Regions;

[Trait("Tier", "Unit")]
public class RegionPathTests
{
    [Theory]
    [InlineData("cortex", "cortex", 1)]
    [InlineData("cortex/language/syntax", "cortex/language/syntax", 3)]
    [InlineData("Cortex/Language", "cortex/language", 2)]
    [InlineData("v1/layer_4-b", "v1/layer_4-b", 2)]
    [InlineData("/", "/", 0)]
    public void Valid_paths_parse_and_normalise(string text, string normalised, int depth)
    {
        var path = RegionPath.Parse(text);
        Assert.Equal(normalised, path.ToString());
        Assert.Equal(depth, path.Depth);
        Assert.Equal(path, RegionPath.Parse(normalised));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("cortex//language", "empty segment at index 7")]
    [InlineData("/cortex", "starts with '/'")]
    [InlineData("cortex/", "ends with '/'")]
    [InlineData("cortex/ language", "whitespace at index 7")]
    [InlineData(" cortex", "whitespace at index 0")]
    [InlineData("cortex\t", "whitespace at index 6")]
    [InlineData("cortex/lang.uage", "character '.' at index 11")]
    [InlineData("cortex/-x", "must start with a letter or a digit")]
    [InlineData("corté", "character 'é'")]
    public void Invalid_paths_are_rejected_with_a_message_that_says_where(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => RegionPath.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.False(RegionPath.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void Over_long_paths_segments_and_depths_are_rejected()
    {
        Assert.Contains("more than 256", Assert.Throws<FormatException>(() => RegionPath.Parse(string.Join('/', Enumerable.Repeat(new string('a', 60), 5)))).Message);
        Assert.Contains("longer than 64", Assert.Throws<FormatException>(() => RegionPath.Parse("cortex/" + new string('a', 65))).Message);
        Assert.Equal(64, RegionPath.Parse(new string('a', 64)).Name.Length);
        Assert.Contains("more than 16 segments", Assert.Throws<FormatException>(() => RegionPath.Parse(string.Join('/', Enumerable.Repeat("a", 17)))).Message);
        Assert.Equal(16, RegionPath.Parse(string.Join('/', Enumerable.Repeat("a", 16))).Depth);
        Assert.Throws<ArgumentNullException>(() => RegionPath.Parse(null!));
    }

    [Fact]
    public void IsParentOf_works_on_segment_boundaries_only()
    {
        var cortex = RegionPath.Parse("cortex");
        var lang = RegionPath.Parse("cortex/lang");
        var language = RegionPath.Parse("cortex/language");
        var syntax = RegionPath.Parse("cortex/language/syntax");

        Assert.True(cortex.IsParentOf(language));
        Assert.True(cortex.IsParentOf(syntax));
        Assert.True(language.IsParentOf(syntax));
        Assert.False(lang.IsParentOf(language));
        Assert.False(lang.IsParentOfOrSelf(language));
        Assert.False(lang.IsParentOf(syntax));
        Assert.False(language.IsParentOf(language));
        Assert.True(language.IsParentOfOrSelf(language));
        Assert.False(syntax.IsParentOf(language));
        Assert.True(syntax.IsWithin(cortex));
        Assert.False(RegionPath.Parse("cortexx").IsWithin(cortex));
    }

    [Fact]
    public void Root_is_the_parent_of_every_path_and_has_no_parent()
    {
        var root = RegionPath.Root;
        Assert.Equal(default, root);
        Assert.True(root.IsRoot);
        Assert.True(root.IsParentOf(RegionPath.Parse("a/b")));
        Assert.False(root.IsParentOf(root));
        Assert.True(root.IsParentOfOrSelf(root));
        Assert.Equal(root, RegionPath.Parse("cortex").Parent);
        Assert.Throws<InvalidOperationException>(() => root.Parent);
        Assert.Empty(root.Segments);
    }

    [Fact]
    public void Parent_Name_Segments_and_Child_walk_the_hierarchy()
    {
        var syntax = RegionPath.Parse("cortex/language/syntax");
        Assert.Equal(RegionPath.Parse("cortex/language"), syntax.Parent);
        Assert.Equal("syntax", syntax.Name);
        Assert.Equal(["cortex", "language", "syntax"], syntax.Segments);
        Assert.Equal(syntax, RegionPath.Parse("cortex").Child("language").Child("Syntax"));
        Assert.Equal(RegionPath.Parse("cortex"), RegionPath.Root.Child("cortex"));
        Assert.Throws<FormatException>(() => syntax.Child("a/b"));
        Assert.Throws<FormatException>(() => syntax.Child(""));
    }

    [Fact]
    public void Ordering_puts_each_subtree_in_one_run_after_its_root()
    {
        var paths = new[] { "a-b", "a/b/c", "b", "a", "a/b", "a/a", "/" }.Select(RegionPath.Parse).Order().Select(p => p.ToString());
        Assert.Equal(["/", "a", "a/a", "a/b", "a/b/c", "a-b", "b"], paths);
        Assert.True(RegionPath.Parse("a") < RegionPath.Parse("a/b"));
        Assert.Equal(RegionPath.Parse("A/B").GetHashCode(), RegionPath.Parse("a/b").GetHashCode());
    }

    [Fact]
    public void Json_round_trips_as_a_string_and_rejects_bad_paths()
    {
        var path = RegionPath.Parse("cortex/language");
        var json = JsonSerializer.Serialize(path);
        Assert.Equal("\"cortex/language\"", json);
        Assert.Equal(path, JsonSerializer.Deserialize<RegionPath>(json));
        Assert.Equal(RegionPath.Root, JsonSerializer.Deserialize<RegionPath>("\"/\""));

        var map = new Dictionary<RegionPath, int> { [path] = 3 };
        Assert.Equal(3, JsonSerializer.Deserialize<Dictionary<RegionPath, int>>(JsonSerializer.Serialize(map))![path]);

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RegionPath>("\"cortex//x\""));
        Assert.Contains("empty segment", e.Message);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RegionPath>("42"));
    }

    [Fact]
    public void Orleans_serializer_round_trips_paths()
    {
        var serializer = OrleansSerialization.Create();
        var path = RegionPath.Parse("cortex/language/syntax");
        Assert.Equal(path, serializer.Deserialize<RegionPath>(serializer.SerializeToArray(path)));
        Assert.Equal(RegionPath.Root, serializer.Deserialize<RegionPath>(serializer.SerializeToArray(RegionPath.Root)));
    }
}
