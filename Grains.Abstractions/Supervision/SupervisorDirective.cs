namespace NeuroMesh.Supervision;

/// <summary>What a supervisor does about a failed child.</summary>
public enum SupervisorDirective
{
    /// <summary>Keep the child as it is; the failure is recorded and acknowledged.</summary>
    Resume,

    /// <summary>Deactivate the child and rebuild it from its delta log (with the children the strategy adds).</summary>
    Restart,

    /// <summary>Deactivate the child and stop supervising it.</summary>
    Stop,

    /// <summary>Stop every child and hand the failure to this supervisor's parent.</summary>
    Escalate,
}
