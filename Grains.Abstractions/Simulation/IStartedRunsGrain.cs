namespace NeuroMesh.Simulation;

/// <summary>
/// The cluster-wide list of runs started in the background (key 0), kept so that a silo loss can wake them: a run whose
/// grain went with a crashed silo carries on in its next activation, and this is what makes that activation happen
/// without a client calling. Event-sourced; a run is listed from its <c>Start</c> until it pauses, stops or finishes.
/// </summary>
public interface IStartedRunsGrain : IGrainWithIntegerKey
{
    /// <summary>Lists <paramref name="runId"/> (again: a run already listed stays listed once).</summary>
    Task Add(string runId);

    /// <summary>Takes <paramref name="runId"/> off the list; nothing happens when it is not listed.</summary>
    Task Remove(string runId);

    /// <summary>The listed runs, in the order they were listed.</summary>
    Task<IReadOnlyList<string>> List();
}
