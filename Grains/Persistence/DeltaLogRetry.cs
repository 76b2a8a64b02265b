using System.Data.Common;

namespace NeuroMesh.Persistence;

/// <summary>Appending with retries that cannot duplicate: every attempt sends the same batch (same id) at the same expected version.</summary>
public static class DeltaLogRetry
{
    /// <summary>
    /// Appends, retrying transient failures (<see cref="DeltaLogTransientException"/>, or a <see cref="DbException"/>
    /// the provider marks transient) up to <paramref name="maxAttempts"/> times with a delay that doubles up to
    /// <paramref name="maxDelay"/> (unbounded when null). A version conflict is not retried: the caller must reload the stream.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> is less than 1.</exception>
    public static async Task<AppendResult> AppendWithRetryAsync(
        this IDeltaLogStore store,
        string streamId,
        long expectedVersion,
        DeltaBatch batch,
        int maxAttempts = 5,
        TimeSpan? firstDelay = null,
        CancellationToken cancellationToken = default,
        TimeSpan? maxDelay = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var delay = firstDelay ?? TimeSpan.FromMilliseconds(10);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.AppendAsync(streamId, expectedVersion, batch, cancellationToken);
            }
            catch (Exception e) when (attempt < maxAttempts && IsTransient(e))
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellationToken);
                }

                delay *= 2;
                if (maxDelay is { } cap && delay > cap)
                {
                    delay = cap;
                }
            }
        }
    }

    private static bool IsTransient(Exception e) => e is DeltaLogTransientException or DbException { IsTransient: true };
}
