namespace NeuroMesh.Client;

/// <summary>No gateway of the cluster answered within the client's retry budget.</summary>
public sealed class NeuroMeshConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="endpoints">The gateways tried, as text.</param>
    /// <param name="attempts">Connection attempts made.</param>
    /// <param name="elapsed">How long the client tried.</param>
    /// <param name="inner">The last attempt's failure.</param>
    public NeuroMeshConnectionException(string endpoints, int attempts, TimeSpan elapsed, Exception? inner)
        : base($"No NeuroMesh gateway answered at {endpoints} after {attempts} attempt(s) over {elapsed.TotalSeconds:0.0} s: is a silo running there " +
               $"(`dotnet run --project Silo` serves 127.0.0.1:30000), and do NeuroMesh:Client:Gateways, ClusterId and ServiceId match it? Last error: {inner?.Message ?? "none"}", inner)
    {
        Endpoints = endpoints;
        Attempts = attempts;
    }

    /// <summary>The gateways tried, as text.</summary>
    public string Endpoints { get; }

    /// <summary>Connection attempts made.</summary>
    public int Attempts { get; }
}
