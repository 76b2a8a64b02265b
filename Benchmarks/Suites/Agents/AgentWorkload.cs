namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>The shape of the agents workload, shared by every transport.</summary>
internal static class AgentWorkload
{
    /// <summary>Subscribers in the fan-out case (K in the issue).</summary>
    public const int Subscribers = 8;

    /// <summary>How long a run may take before it is reported as stuck (a lost message stalls ping-pong forever).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Waits for a completion signal, or throws naming the transport.</summary>
    public static void Await(WaitHandle done, string transport, string workload)
    {
        if (!done.WaitOne(Timeout))
        {
            throw new TimeoutException($"{transport}: {workload} did not complete within {Timeout.TotalSeconds:0} s; messages were lost or the transport stalled.");
        }
    }
}
