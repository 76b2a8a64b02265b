namespace NeuroMesh.Supervision;

/// <summary>Which children a supervisor restarts when one of them is restarted (Erlang/OTP's strategies).</summary>
public enum SupervisionStrategy
{
    /// <summary>Only the failed child.</summary>
    OneForOne,

    /// <summary>Every child, in start order.</summary>
    OneForAll,

    /// <summary>The failed child and every child started after it, in start order.</summary>
    RestForOne,
}
