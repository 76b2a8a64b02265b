using Microsoft.Extensions.Options;

namespace NeuroMesh.Hosting;

/// <summary>Rejects invalid fabric settings at silo start, with a message that names the setting.</summary>
internal sealed class FabricOptionsValidator : IValidateOptions<FabricOptions>
{
    public ValidateOptionsResult Validate(string? name, FabricOptions options)
    {
        if (!Enum.IsDefined(options.Tier))
        {
            return ValidateOptionsResult.Fail($"{FabricOptions.SectionName}:Tier must be one of {string.Join(", ", Enum.GetNames<Fabric.FabricTier>())} (got {(int)options.Tier}).");
        }

        if (options.MaxAgents < 1)
        {
            return ValidateOptionsResult.Fail($"{FabricOptions.SectionName}:MaxAgents must be at least 1 (got {options.MaxAgents}).");
        }

        try
        {
            options.ToLayout();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{FabricOptions.SectionName}:{(options.Tier == Fabric.FabricTier.Dedicated ? "DedicatedMiB" : "Tier")} is invalid: {e.Message}");
        }
    }
}
