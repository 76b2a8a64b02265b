namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>Ping-pong over awaited calls: the request is one hop, the response the other.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    private long _pongs;
    private long _pongSum;

    /// <inheritdoc />
    public async Task<(long Count, long Checksum)> Serve(IPingGrain partner, int roundTrips)
    {
        long count = 0, sum = 0;
        for (var seq = 0; seq < roundTrips; seq++)
        {
            var back = await partner.Pong(seq);
            count++;
            sum += back;
        }

        return (count, sum);
    }

    /// <inheritdoc />
    public Task<int> Pong(int seq)
    {
        _pongs++;
        _pongSum += seq;
        return Task.FromResult(seq);
    }

    /// <inheritdoc />
    public Task<(long Count, long Checksum)> PongStats() => Task.FromResult((_pongs, _pongSum));
}
