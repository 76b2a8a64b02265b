namespace NeuroMesh.Regions;

/// <summary>The grammar of <see cref="RegionPath"/>, kept apart so that the value type stays small.</summary>
internal static class RegionPathSyntax
{
    private const string Example = "paths look like 'cortex/language/syntax'";

    /// <summary>Null when <paramref name="text"/> is a valid path (or <c>/</c>, the root); otherwise why it is not.</summary>
    public static string? Validate(string? text)
    {
        if (text is null)
        {
            return "A region path cannot be null.";
        }

        if (text.Length == 0)
        {
            return $"A region path cannot be empty ({Example}; '/' is the root).";
        }

        if (text == "/")
        {
            return null;
        }

        if (text.Length > RegionPath.MaxLength)
        {
            return $"Invalid region path '{Shorten(text)}': it is {text.Length} characters long, more than {RegionPath.MaxLength}.";
        }

        if (text[0] == RegionPath.Separator)
        {
            return $"Invalid region path '{text}': it starts with '/' ({Example}, relative to the root).";
        }

        if (text[^1] == RegionPath.Separator)
        {
            return $"Invalid region path '{text}': it ends with '/'.";
        }

        var depth = 1;
        var segmentStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == RegionPath.Separator)
            {
                if (i == segmentStart)
                {
                    return $"Invalid region path '{text}': empty segment at index {i} ('//').";
                }

                if (++depth > RegionPath.MaxDepth)
                {
                    return $"Invalid region path '{text}': more than {RegionPath.MaxDepth} segments.";
                }

                segmentStart = i + 1;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                return $"Invalid region path '{text}': whitespace at index {i}.";
            }

            var isAlphanumeric = char.IsAsciiLetterOrDigit(c);
            if (!isAlphanumeric && c is not ('-' or '_'))
            {
                return $"Invalid region path '{text}': character '{c}' at index {i} is not allowed (use a-z, 0-9, '-' and '_').";
            }

            if (i == segmentStart && !isAlphanumeric)
            {
                return $"Invalid region path '{text}': the segment at index {i} must start with a letter or a digit.";
            }

            if (i - segmentStart >= RegionPath.MaxSegmentLength)
            {
                return $"Invalid region path '{Shorten(text)}': the segment at index {segmentStart} is longer than {RegionPath.MaxSegmentLength} characters.";
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
