namespace NeuroMesh.Cli;

/// <summary>The neuromesh CLI's exit codes (docs/client.md).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The cluster refused or failed the operation (a run that cannot step, a replay that diverged, ...).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: an unknown option, an invalid spec file, a bad range or value; nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>Something named does not exist: an unknown run id or region.</summary>
    public const int NotFound = 3;

    /// <summary>No gateway answered within the retry budget.</summary>
    public const int Unreachable = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
