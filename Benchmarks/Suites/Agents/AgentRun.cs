namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>What one timed run delivered: the elapsed seconds, the deliveries counted at the receivers, and how many were expected.</summary>
/// <param name="Seconds">Wall-clock seconds from the first send until the last delivery was counted.</param>
/// <param name="Delivered">Messages the receivers counted (ping-pong: round trips completed; fan-out: the sum over subscribers).</param>
/// <param name="Expected">Messages the workload sent.</param>
internal sealed record AgentRun(double Seconds, long Delivered, long Expected)
{
    /// <summary>Checks the receivers' counts and checksums; a benchmark that loses, duplicates or corrupts data measures nothing.</summary>
    /// <param name="transport">Named in the error.</param>
    /// <param name="seconds">The measured time.</param>
    /// <param name="expectedPerReceiver">Messages each receiver should have counted.</param>
    /// <param name="counts">What each receiver counted.</param>
    /// <param name="checksums">The sum of the message numbers each receiver saw (0 + 1 + ... + n-1 when complete).</param>
    /// <exception cref="InvalidOperationException">A receiver's count or checksum is wrong.</exception>
    public static AgentRun Verify(string transport, double seconds, long expectedPerReceiver, IReadOnlyList<long> counts, IReadOnlyList<long> checksums)
    {
        var expectedChecksum = expectedPerReceiver * (expectedPerReceiver - 1) / 2;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] != expectedPerReceiver || checksums[i] != expectedChecksum)
            {
                throw new InvalidOperationException(
                    $"{transport}: receiver {i} counted {counts[i]} messages (checksum {checksums[i]}), expected {expectedPerReceiver} (checksum {expectedChecksum}).");
            }
        }

        return new AgentRun(seconds, counts.Sum(), expectedPerReceiver * counts.Count);
    }
}
