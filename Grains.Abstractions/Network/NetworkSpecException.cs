namespace NeuroMesh.Network;

/// <summary>Thrown when a spec is malformed or invalid; <see cref="Errors"/> lists every problem with its JSON path.</summary>
public sealed class NetworkSpecException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public NetworkSpecException(IReadOnlyList<SpecError> errors)
        : base("invalid network spec:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
        => Errors = errors;

    /// <summary>Creates the exception with a message (for serializers and tooling).</summary>
    public NetworkSpecException(string message)
        : base(message) => Errors = [new SpecError("$", message)];

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NetworkSpecException(string message, Exception innerException)
        : base(message, innerException) => Errors = [new SpecError("$", message)];

    /// <summary>Creates an exception with no details.</summary>
    public NetworkSpecException()
        : this("invalid network spec")
    {
    }

    /// <summary>Every problem found, each with its JSON path.</summary>
    public IReadOnlyList<SpecError> Errors { get; }
}
