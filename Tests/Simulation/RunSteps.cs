using NeuroMesh.Simulation;

namespace NeuroMesh.Tests.Simulation;

/// <summary>Driving a run to its end a checkpoint at a time, the way most cluster tests do.</summary>
internal static class RunSteps
{
    /// <summary>Steps <paramref name="run"/> by <paramref name="ticks"/> (one checkpoint each) until it has finished; returns its last status.</summary>
    public static async Task<RunStatus> ToEndAsync(ISimulationGrain run, long ticks = 1000)
    {
        RunStatus status;
        do
        {
            status = await run.Step(ticks);
        }
        while (status.Phase != RunPhase.Finished);

        return status;
    }

    /// <summary>
    /// Steps <paramref name="run"/> to its end after a silo was lost: a step may fail while the run is placed again (or its
    /// grain rebuilt), at most <paramref name="maxFailures"/> times. Returns the last status and how many steps failed.
    /// </summary>
    public static async Task<(RunStatus Status, int Failures)> ToEndThroughLossAsync(ISimulationGrain run, int maxFailures = 2)
    {
        var failures = 0;
        var status = await run.GetStatus();
        while (status.Phase != RunPhase.Finished)
        {
            try
            {
                status = await run.Step(1000);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.True(++failures <= maxFailures, $"the run kept failing after the silo was lost: {e}");
            }
        }

        return (status, failures);
    }
}
