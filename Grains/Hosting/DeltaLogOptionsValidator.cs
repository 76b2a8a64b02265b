using Microsoft.Extensions.Options;
using NeuroMesh.Persistence;

namespace NeuroMesh.Hosting;

/// <summary>Rejects invalid delta-log settings at silo start, with a message that names the setting.</summary>
internal sealed class DeltaLogOptionsValidator : IValidateOptions<DeltaLogGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, DeltaLogGrainOptions options)
    {
        var section = DeltaLogGrainOptions.SectionName;
        return options.Backend?.ToLowerInvariant() switch
        {
            "sqlite" when string.IsNullOrWhiteSpace(options.Path) => ValidateOptionsResult.Fail($"{section}:Path must name the SQLite file (for example data/deltalog.db)."),
            "postgres" when string.IsNullOrWhiteSpace(options.ConnectionString) => ValidateOptionsResult.Fail($"{section}:ConnectionString is required when {section}:Backend is postgres."),
            "sqlite" or "postgres" when options.SnapshotEvery < 0 => ValidateOptionsResult.Fail($"{section}:SnapshotEvery must be 0 (never) or positive (got {options.SnapshotEvery})."),
            "sqlite" or "postgres" => ValidateOptionsResult.Success,
            _ => ValidateOptionsResult.Fail($"{section}:Backend must be sqlite or postgres (got '{options.Backend}')."),
        };
    }
}
