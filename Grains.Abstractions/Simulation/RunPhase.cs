namespace NeuroMesh.Simulation;

/// <summary>Where a simulation run stands.</summary>
public enum RunPhase
{
    /// <summary>No spec deployed yet.</summary>
    Empty,

    /// <summary>A spec is deployed and no tick has run.</summary>
    Deployed,

    /// <summary>Running in the background (<see cref="ISimulationGrain.Start"/>).</summary>
    Running,

    /// <summary>Some ticks have run; the run can be stepped or started again.</summary>
    Paused,

    /// <summary>The spec's whole duration has run.</summary>
    Finished,

    /// <summary>Stopped for good; the record stays.</summary>
    Stopped,
}
