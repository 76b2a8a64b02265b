namespace NeuroMesh.Hosting;

/// <summary>
/// Retries a client's connection to the gateways a fixed number of times with a fixed delay, and counts the attempts, so
/// that a client with no gateway to talk to gives up after a known budget instead of Orleans' default (15 retries with a
/// growing delay, about three minutes).
/// </summary>
/// <param name="attempts">Attempts in all, the first included.</param>
/// <param name="delay">The pause between two attempts.</param>
public sealed class GatewayRetryFilter(int attempts, TimeSpan delay) : IClientConnectionRetryFilter
{
    private int _failures;

    /// <summary>Attempts in all, the first included.</summary>
    public int Attempts => attempts;

    /// <summary>Connection attempts that failed so far.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <inheritdoc />
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        // Only failures to reach a gateway are worth another try; anything else (a bad setting, a cancelled start) is not.
        var transient = exception is OrleansException or System.Net.Sockets.SocketException or TimeoutException or IOException;
        if (Interlocked.Increment(ref _failures) >= attempts || !transient || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
