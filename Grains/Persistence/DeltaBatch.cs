namespace NeuroMesh.Persistence;

/// <summary>
/// Deltas appended together, atomically, under one idempotency id. Retrying an append with the same batch
/// (same <see cref="Id"/> and content) never writes it twice.
/// </summary>
public sealed class DeltaBatch
{
    /// <summary>The most deltas one batch may hold.</summary>
    public const int MaxCount = 100_000;

    private readonly Delta[] _deltas;

    /// <summary>Creates a batch with a caller-chosen idempotency id (keep the id when you retry).</summary>
    /// <exception cref="ArgumentException">The id is empty, or the batch is empty, too large or holds a null delta.</exception>
    public DeltaBatch(Guid id, IEnumerable<Delta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (id == Guid.Empty)
        {
            throw new ArgumentException("a batch needs a non-empty idempotency id", nameof(id));
        }

        // A private copy: the content a retry is compared against cannot change under the caller's feet.
        _deltas = [.. deltas];
        if (_deltas.Length is 0 or > MaxCount)
        {
            throw new ArgumentException($"a batch holds 1 to {MaxCount} deltas; this one has {_deltas.Length}", nameof(deltas));
        }

        if (Array.IndexOf(_deltas, null) is var nullAt and >= 0)
        {
            throw new ArgumentException($"delta {nullAt} of the batch is null", nameof(deltas));
        }

        Id = id;
    }

    /// <summary>The idempotency id: a retried append with this id is recognised and not written again.</summary>
    public Guid Id { get; }

    /// <summary>The deltas, in append order.</summary>
    public IReadOnlyList<Delta> Deltas => _deltas;

    /// <summary>How many deltas the batch holds.</summary>
    public int Count => _deltas.Length;

    /// <summary>Creates a batch with a fresh idempotency id.</summary>
    public static DeltaBatch Create(params IEnumerable<Delta> deltas) => new(Guid.NewGuid(), deltas);
}
