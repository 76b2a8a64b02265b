namespace NeuroMesh.Supervision;

/// <summary>Why a supervisor considers a child failed; the supervisor's decider maps each kind to a <see cref="SupervisorDirective"/>.</summary>
public enum FailureKind
{
    /// <summary>A neuron's behaviour threw (the neuron grain counts its faults).</summary>
    BehaviourFault,

    /// <summary>The child did not answer this many health checks in a row (<see cref="SupervisorConfig.MissedChecksAllowed"/>).</summary>
    MissedHealthCheck,

    /// <summary>The silo the child lived on left the cluster (cluster membership declared it dead).</summary>
    SiloLost,

    /// <summary>A child supervisor escalated: its own restart intensity was exceeded or its decider said Escalate.</summary>
    Escalated,

    /// <summary>Someone reported the failure through <see cref="ISupervisorGrain.ReportFailure"/>.</summary>
    Reported,
}
