using Microsoft.Extensions.Logging;

namespace NeuroMesh.Agents.Wasm;

/// <summary>The WebAssembly host's log lines (source-generated).</summary>
internal static partial class WasmLog
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "WebAssembly module {Hash} refused: {Reason}")]
    public static partial void ModuleRefused(ILogger logger, string hash, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "WebAssembly module {Hash} trapped in {Export} ({Kind}): {Reason}")]
    public static partial void Trapped(ILogger logger, string hash, string export, WasmFaultKind kind, string reason);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "neuron {Neuron} (wasm {Hash}): {Line}")]
    public static partial void Guest(ILogger logger, uint neuron, string hash, string line);
}
