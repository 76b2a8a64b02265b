using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// Defines the ABI's imports on a linker; each forwards to the <see cref="WasmBehaviour"/> whose call is running on this
/// thread (<see cref="WasmImportCalls.Running"/>). A thread-static costs less per import call than finding the behaviour
/// through the caller's store, and a module only reaches an import from inside one of its behaviour's calls.
/// </summary>
internal static class WasmImports
{
    public static void Define(Linker linker)
    {
        const string ns = WasmAbi.ImportModule;
        linker.DefineFunction(ns, "fire", (int ptr, int len) => Of().Emit(Spikes.Spike.BroadcastTarget, ptr, len, 0));
        linker.DefineFunction(ns, "broadcast", (int ptr, int len, int type) => Of().Emit(Spikes.Spike.BroadcastTarget, ptr, len, type));
        linker.DefineFunction(ns, "fire_to", (int target, int ptr, int len, int type) => Of().EmitTo(target, ptr, len, type));
        linker.DefineFunction(ns, "reward", (float value) => Of().Reward(value));
        linker.DefineFunction(ns, "find", (int capPtr, int capLen, int outPtr, int outMax) => Of().Find(capPtr, capLen, outPtr, outMax));
        linker.DefineFunction(ns, "state_get", (int keyPtr, int keyLen, int outPtr, int outCap) => Of().StateGet(keyPtr, keyLen, outPtr, outCap));
        linker.DefineFunction(ns, "state_put", (int keyPtr, int keyLen, int valuePtr, int valueLen) => Of().StatePut(keyPtr, keyLen, valuePtr, valueLen));
        linker.DefineFunction(ns, "now", () => Of().Now());
        linker.DefineFunction(ns, "log", (int ptr, int len) => Of().Log(ptr, len));
    }

    private static WasmImportCalls Of()
        => WasmImportCalls.Running
            ?? throw new WasmAbiViolationException("imports can be called only from init, on_spike, on_fire and on_tick, not while the module is instantiated (its start function)");
}
