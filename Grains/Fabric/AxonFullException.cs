namespace NeuroMesh.Fabric;

/// <summary>A Block-policy publish waited for room longer than its timeout. The spikes it names were not published.</summary>
public sealed class AxonFullException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AxonFullException(int published, int refused, TimeSpan timeout)
        : base($"Axon full: the slowest reader made no room within {timeout.TotalMilliseconds:0} ms; {published} spike(s) published, {refused} refused (counted as PublishTimeout).")
    {
        Published = published;
        Refused = refused;
    }

    /// <summary>How many spikes of the call were published before the timeout.</summary>
    public int Published { get; }

    /// <summary>How many spikes of the call were refused.</summary>
    public int Refused { get; }
}
