namespace NeuroMesh.Supervision;

/// <summary>What a restarted child is rebuilt to from its delta log.</summary>
public enum RestartFrom
{
    /// <summary>Everything its log holds: its configuration and wiring, and the state its behaviour recorded (latest snapshot plus the deltas after it).</summary>
    LastCheckpoint,

    /// <summary>
    /// Its configuration and wiring only: the behaviour of a neuron starts over from its initial state (Erlang/OTP's
    /// restart from the child's start arguments). The log records the reset, so replay rebuilds the same state and nothing
    /// earlier is deleted. A region has no behaviour state, so it restarts alike either way.
    /// </summary>
    InitialState,
}
