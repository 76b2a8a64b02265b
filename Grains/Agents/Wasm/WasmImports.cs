using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>Defines the ABI's imports on a linker; each forwards to the <see cref="WasmBehaviour"/> that owns the calling store.</summary>
internal static class WasmImports
{
    public static void Define(Linker linker)
    {
        const string ns = WasmAbi.ImportModule;
        linker.DefineFunction(ns, "fire", (Caller c, int ptr, int len) => Of(c).Emit(WasmBehaviour.Broadcast, ptr, len, 0));
        linker.DefineFunction(ns, "broadcast", (Caller c, int ptr, int len, int type) => Of(c).Emit(WasmBehaviour.Broadcast, ptr, len, type));
        linker.DefineFunction(ns, "fire_to", (Caller c, int target, int ptr, int len, int type) => Of(c).EmitTo(target, ptr, len, type));
        linker.DefineFunction(ns, "reward", (Caller c, float value) => Of(c).Reward(value));
        linker.DefineFunction(ns, "find", (Caller c, int capPtr, int capLen, int outPtr, int outMax) => Of(c).Find(capPtr, capLen, outPtr, outMax));
        linker.DefineFunction(ns, "state_get", (Caller c, int keyPtr, int keyLen, int outPtr, int outCap) => Of(c).StateGet(keyPtr, keyLen, outPtr, outCap));
        linker.DefineFunction(ns, "state_put", (Caller c, int keyPtr, int keyLen, int valuePtr, int valueLen) => Of(c).StatePut(keyPtr, keyLen, valuePtr, valueLen));
        linker.DefineFunction(ns, "now", (Caller c) => Of(c).Now());
        linker.DefineFunction(ns, "log", (Caller c, int ptr, int len) => Of(c).Log(ptr, len));
    }

    private static WasmBehaviour Of(Caller caller)
        => caller.GetData() as WasmBehaviour
            ?? throw new WasmAbiViolationException("imports can be called only from init, on_spike, on_fire and on_tick, not while the module is instantiated (its start function)");
}
