namespace NeuroMesh.Agents;

/// <summary>
/// The one rule for capability names (<c>classify</c>, <c>vision.ocr</c>, <c>llm:summarise</c>): surrounding whitespace
/// is trimmed and letters are lowered; what remains is 1 to <see cref="MaxLength"/> characters from <c>a-z</c>, <c>0-9</c>
/// and <c>- _ . : /</c>.
/// </summary>
public static class CapabilityName
{
    /// <summary>The longest capability name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Normalises a capability name.</summary>
    /// <exception cref="ArgumentException">The name is null, empty, too long, or holds whitespace or another invalid character.</exception>
    public static string Normalize(string capability)
    {
        if (capability is null)
        {
            throw new ArgumentNullException(nameof(capability), "A capability name cannot be null.");
        }

        var trimmed = capability.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A capability name cannot be empty or whitespace.", nameof(capability));
        }

        if (trimmed.Length > MaxLength)
        {
            throw new ArgumentException($"Capability '{trimmed[..20]}...' is {trimmed.Length} characters long, more than {MaxLength}.", nameof(capability));
        }

        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':' or '/'))
            {
                var what = char.IsWhiteSpace(c) ? "whitespace" : $"character '{c}'";
                throw new ArgumentException($"Capability '{trimmed}' holds {what} at index {i} (use a-z, 0-9 and - _ . : /).", nameof(capability));
            }
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>Normalises every name and removes duplicates, in ordinal order.</summary>
    /// <exception cref="ArgumentException">One of the names is invalid.</exception>
    public static System.Collections.Immutable.ImmutableSortedSet<string> NormalizeAll(IEnumerable<string>? capabilities)
    {
        var builder = System.Collections.Immutable.ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var capability in capabilities ?? [])
        {
            builder.Add(Normalize(capability));
        }

        return builder.ToImmutable();
    }
}
