using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace NeuroMesh.Regions;

/// <summary>
/// A hierarchical region path such as <c>cortex/language/syntax</c>: one or more segments separated by <c>/</c>.
/// Paths are normalised to lower case; <see cref="Root"/> (written <c>/</c>) is the parent of every other path.
/// </summary>
/// <remarks>
/// <para>A segment is 1 to <see cref="MaxSegmentLength"/> characters from <c>a-z</c>, <c>0-9</c>, <c>-</c> and <c>_</c>,
/// starting with a letter or a digit (upper-case letters are accepted and lowered). Empty segments, a leading or trailing
/// slash, whitespace and other characters are rejected with a <see cref="FormatException"/> that names the position.</para>
/// <para>Ancestry works on segment boundaries: <c>cortex/lang</c> is not a parent of <c>cortex/language</c>.
/// Ordering compares segment by segment, so a subtree sorts as one contiguous run right after its root.</para>
/// </remarks>
[JsonConverter(typeof(RegionPathJsonConverter))]
[Immutable]
public readonly struct RegionPath : IEquatable<RegionPath>, IComparable<RegionPath>, IComparable, IParsable<RegionPath>
{
    /// <summary>The longest path accepted, in characters.</summary>
    public const int MaxLength = 256;

    /// <summary>The longest segment accepted, in characters.</summary>
    public const int MaxSegmentLength = 64;

    /// <summary>The most segments a path may have.</summary>
    public const int MaxDepth = 16;

    /// <summary>The separator between segments.</summary>
    public const char Separator = '/';

    private const string RootText = "/";

    // Null for the root, so that default(RegionPath) is the root.
    private readonly string? _value;

    private RegionPath(string? value) => _value = value;

    /// <summary>The root: the parent of every other path. Written and parsed as <c>/</c>.</summary>
    public static RegionPath Root => default;

    /// <summary>True for <see cref="Root"/>.</summary>
    public bool IsRoot => _value is null;

    /// <summary>Number of segments: 0 for the root, 1 for <c>cortex</c>, 3 for <c>cortex/language/syntax</c>.</summary>
    public int Depth => _value is null ? 0 : _value.AsSpan().Count(Separator) + 1;

    /// <summary>The last segment (<c>syntax</c> for <c>cortex/language/syntax</c>); empty for the root.</summary>
    public string Name => _value is null ? string.Empty : _value[(_value.LastIndexOf(Separator) + 1)..];

    /// <summary>The segments, outermost first; empty for the root.</summary>
    public IReadOnlyList<string> Segments => _value is null ? [] : _value.Split(Separator);

    /// <summary>The enclosing path (<c>cortex/language</c> for <c>cortex/language/syntax</c>; the root for <c>cortex</c>).</summary>
    /// <exception cref="InvalidOperationException">The root has no parent.</exception>
    public RegionPath Parent
    {
        get
        {
            if (_value is null)
            {
                throw new InvalidOperationException("The root region path has no parent.");
            }

            var slash = _value.LastIndexOf(Separator);
            return slash < 0 ? Root : new RegionPath(_value[..slash]);
        }
    }

    /// <summary>Parses and normalises a path.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a valid path; the message says where and why.</exception>
    public static RegionPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var path, out var error) ? path : throw new FormatException(error);
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static RegionPath Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Parses and normalises a path; returns false for null or invalid text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out RegionPath result) => TryParse(s, out result, out _);

    /// <summary>Parses and normalises a path; returns false for null or invalid text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RegionPath result) => TryParse(text, out result, out _);

    /// <summary>Parses and normalises a path; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RegionPath result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        error = RegionPathSyntax.Validate(text);
        if (error is not null)
        {
            return false;
        }

        result = text == RootText ? Root : new RegionPath(text!.ToLowerInvariant());
        return true;
    }

    /// <summary>This path with one more segment appended.</summary>
    /// <exception cref="FormatException">The segment is not valid, or the result would be too long or too deep.</exception>
    public RegionPath Child(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Contains(Separator, StringComparison.Ordinal))
        {
            throw new FormatException($"Invalid region segment '{segment}': a segment cannot contain '{Separator}'; use Parse for a whole path.");
        }

        return Parse(_value is null ? segment : _value + Separator + segment);
    }

    /// <summary>True when <paramref name="other"/> lies strictly inside this path's subtree (a path is not its own parent).</summary>
    public bool IsParentOf(RegionPath other)
    {
        if (other._value is null)
        {
            return false;
        }

        if (_value is null)
        {
            return true;
        }

        return other._value.Length > _value.Length
            && other._value[_value.Length] == Separator
            && other._value.StartsWith(_value, StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="other"/> is this path or lies inside its subtree.</summary>
    public bool IsParentOfOrSelf(RegionPath other) => Equals(other) || IsParentOf(other);

    /// <summary>True when this path is <paramref name="ancestor"/> or lies inside its subtree (the inverse of <see cref="IsParentOfOrSelf"/>).</summary>
    public bool IsWithin(RegionPath ancestor) => ancestor.IsParentOfOrSelf(this);

    /// <inheritdoc />
    public bool Equals(RegionPath other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RegionPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Segment-by-segment ordinal order: the root first, then every path before its children and its children before its next sibling.</summary>
    public int CompareTo(RegionPath other)
    {
        var a = (_value ?? string.Empty).AsSpan();
        var b = (other._value ?? string.Empty).AsSpan();
        var common = Math.Min(a.Length, b.Length);
        for (var i = 0; i < common; i++)
        {
            if (a[i] != b[i])
            {
                // The separator sorts below every segment character, so "a/b" comes before "a-b".
                return a[i] == Separator ? -1 : b[i] == Separator ? 1 : a[i].CompareTo(b[i]);
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        RegionPath other => CompareTo(other),
        _ => throw new ArgumentException($"Cannot compare a RegionPath with a {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>The normalised text; <c>/</c> for the root.</summary>
    public override string ToString() => _value ?? RootText;

    /// <summary>Equality.</summary>
    public static bool operator ==(RegionPath left, RegionPath right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RegionPath left, RegionPath right) => !left.Equals(right);

    /// <summary>Ordering, as <see cref="CompareTo(RegionPath)"/>.</summary>
    public static bool operator <(RegionPath left, RegionPath right) => left.CompareTo(right) < 0;

    /// <summary>Ordering, as <see cref="CompareTo(RegionPath)"/>.</summary>
    public static bool operator <=(RegionPath left, RegionPath right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering, as <see cref="CompareTo(RegionPath)"/>.</summary>
    public static bool operator >(RegionPath left, RegionPath right) => left.CompareTo(right) > 0;

    /// <summary>Ordering, as <see cref="CompareTo(RegionPath)"/>.</summary>
    public static bool operator >=(RegionPath left, RegionPath right) => left.CompareTo(right) >= 0;
}
