namespace NeuroMesh.Cli;

/// <summary>A failure the CLI reports with its own exit code and message.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}
