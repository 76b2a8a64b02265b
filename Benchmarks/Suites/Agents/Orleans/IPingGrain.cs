namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>A benchmark grain that plays ping-pong with awaited grain-to-grain calls.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="partner"/>'s <see cref="Pong"/> <paramref name="roundTrips"/> times, one awaited call at a time; returns (returns counted, checksum).</summary>
    Task<(long Count, long Checksum)> Serve(IPingGrain partner, int roundTrips);

    /// <summary>Returns the ball to the caller (the response is the return hop).</summary>
    Task<int> Pong(int seq);

    /// <summary>Balls this grain returned, and their checksum.</summary>
    Task<(long Count, long Checksum)> PongStats();
}
