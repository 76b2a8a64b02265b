using Microsoft.Extensions.Options;
using NeuroMesh.Agents.Wasm;

namespace NeuroMesh.Hosting;

/// <summary>Rejects invalid WebAssembly settings at silo start, with a message that names the setting.</summary>
internal sealed class WasmOptionsValidator : IValidateOptions<WasmOptions>
{
    public ValidateOptionsResult Validate(string? name, WasmOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentOutOfRangeException e)
        {
            return ValidateOptionsResult.Fail($"{WasmOptions.SectionName}:{e.ParamName} is invalid: {e.Message}");
        }
    }
}
