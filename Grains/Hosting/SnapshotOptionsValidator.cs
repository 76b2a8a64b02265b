using Microsoft.Extensions.Options;
using NeuroMesh.Persistence;
using NeuroMesh.Snapshots;

namespace NeuroMesh.Hosting;

/// <summary>Rejects invalid snapshot settings at silo start, with a message that names the setting.</summary>
internal sealed class SnapshotOptionsValidator(IOptions<DeltaLogGrainOptions> deltaLog) : IValidateOptions<SnapshotOptions>
{
    public ValidateOptionsResult Validate(string? name, SnapshotOptions options)
    {
        if (options.Problem() is { } problem)
        {
            return ValidateOptionsResult.Fail(problem + ".");
        }

        return options.Backend.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !IsPostgres(deltaLog.Value)
            ? ValidateOptionsResult.Fail($"{SnapshotOptions.SectionName}:Backend postgres keeps snapshots in the delta log's database; set {DeltaLogGrainOptions.SectionName}:Backend to postgres too, or use directory.")
            : ValidateOptionsResult.Success;
    }

    internal static bool IsPostgres(DeltaLogGrainOptions options) => options.Backend.Equals("postgres", StringComparison.OrdinalIgnoreCase);
}
