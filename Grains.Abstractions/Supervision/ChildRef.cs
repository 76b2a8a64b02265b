using System.Globalization;

namespace NeuroMesh.Supervision;

/// <summary>A supervised child: its kind and key, written <c>neuron:12</c>, <c>region:cortex/a</c> or <c>supervisor:workers</c>.</summary>
/// <param name="Kind">The child's grain kind.</param>
/// <param name="Key">The grain key: a neuron id, a region path or a supervisor id.</param>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.ChildRef")]
public sealed record ChildRef([property: Id(0)] ChildKind Kind, [property: Id(1)] string Key)
{
    /// <summary>A neuron child.</summary>
    public static ChildRef Neuron(uint id) => new(ChildKind.Neuron, id.ToString(CultureInfo.InvariantCulture));

    /// <summary>A region child.</summary>
    public static ChildRef Region(string path) => new(ChildKind.Region, path);

    /// <summary>A supervisor child.</summary>
    public static ChildRef Supervisor(string id) => new(ChildKind.Supervisor, id);

    /// <summary>Parses <c>kind:key</c> (kind is <c>neuron</c>, <c>region</c> or <c>supervisor</c>).</summary>
    /// <exception cref="FormatException">The text is not a child reference; the message says why.</exception>
    public static ChildRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Enum.TryParse<ChildKind>(text[..colon], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            throw new FormatException($"'{text}' is not a child: write neuron:<id>, region:<path> or supervisor:<id>");
        }

        var child = new ChildRef(kind, text[(colon + 1)..]);
        return child.Problem() is { } problem ? throw new FormatException(problem) : child;
    }

    /// <summary>What is wrong with this reference, or null.</summary>
    public string? Problem() => Kind switch
    {
        _ when string.IsNullOrWhiteSpace(Key) => $"child {Kind}: the key is empty",
        ChildKind.Neuron when !uint.TryParse(Key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == uint.MaxValue
            => $"child neuron:{Key}: the key is not a neuron id (0..{uint.MaxValue - 1})",
        ChildKind.Neuron or ChildKind.Region or ChildKind.Supervisor => null,
        _ => $"child kind {(int)Kind} is unknown",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Key}";
}
