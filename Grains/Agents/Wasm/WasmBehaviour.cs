using NeuroMesh.Spikes;
using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A behaviour that runs a WebAssembly module: one instance in its own store, with the memory and table caps and the
/// per-call fuel of its <see cref="WasmRuntime"/>. The module's <c>init</c> runs before its first other call (after the
/// state was restored); a spike calls <c>on_spike</c>, a stimulus <c>on_fire</c>. State written with <c>state_put</c> is
/// recorded as deltas in the neuron's log (<see cref="IStatefulBehaviour"/>).
/// </summary>
/// <remarks>
/// A trap (out of fuel, out of bounds, stack overflow, <c>unreachable</c>, an import called against the ABI) throws a
/// <see cref="WasmTrapException"/> from the callback, which the mesh reports as a <see cref="BehaviourFault"/>. The instance
/// is then discarded: its memory may be half-updated, so it runs nothing more, and the spikes that reach it until its
/// supervisor restarts the neuron (a fresh instance, restored from the log) are dropped and counted
/// (<see cref="WasmBehaviourCounters.SpikesDroppedTrapped"/>). Called from one thread at a time, like every behaviour.
/// </remarks>
public class WasmBehaviour : IStatefulBehaviour, IDisposable
{
    private readonly WasmRuntime _runtime;
    private readonly WasmState _state;
    private readonly WasmImportCalls _imports;
    private readonly ulong _fuel;
    private Store? _store;
    private Action<int, int, int, int, int>? _onSpike;
    private Action? _onFire;
    private Action? _onTick;
    private Action? _init;
    private Func<int>? _payloadBufferExport;
    private long _payloadBuffer = -1;
    private bool _initialised;
    private string? _inExport;
    private long _spikesHandled;
    private long _spikesTrapped;
    private long _spikesDroppedTrapped;
    private long _spikesDroppedOversize;
    private long _calls;

    internal WasmBehaviour(WasmRuntime runtime, WasmModule module, IReadOnlyCollection<string> capabilities, AgentDirectory? directory)
    {
        _runtime = runtime;
        _fuel = (ulong)runtime.Options.FuelPerCall;
        _state = new WasmState(runtime.Options.MaxStateBytes);
        Module = module;
        Capabilities = capabilities;
        var store = runtime.NewStore();
        try
        {
            var instance = runtime.Instantiate(store, module);
            _imports = new WasmImportCalls(runtime, module.Hash, directory, _state, instance.GetMemory(WasmAbi.MemoryExport)!);
            _onSpike = instance.GetAction<int, int, int, int, int>(WasmAbi.OnSpikeExport);
            _onFire = instance.GetAction(WasmAbi.OnFireExport);
            _onTick = instance.GetAction(WasmAbi.OnTickExport);
            _init = instance.GetAction(WasmAbi.InitExport);
            _payloadBufferExport = instance.GetFunction<int>(WasmAbi.PayloadBufferExport);
        }
        catch (WasmtimeException e)
        {
            store.Dispose();
            throw new WasmModuleRefusedException($"Module {module.Hash[..12]}: creating an instance failed: {e.Message}");
        }

        _store = store;
        runtime.CountInstance(+1);
    }

    /// <summary>The module this behaviour runs.</summary>
    public WasmModule Module { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities { get; }

    /// <summary>The trap that stopped this instance, or null while it runs.</summary>
    public WasmTrapException? Trap { get; private set; }

    /// <summary>This behaviour's accounting.</summary>
    public WasmBehaviourCounters Counters => new(
        Volatile.Read(ref _spikesHandled),
        Volatile.Read(ref _spikesTrapped),
        Volatile.Read(ref _spikesDroppedTrapped),
        Volatile.Read(ref _spikesDroppedOversize),
        Volatile.Read(ref _calls),
        _imports.LogLines,
        _imports.StateRefused,
        _imports.LogLinesDropped);

    /// <summary>The latest lines the module logged (at most 16), oldest first.</summary>
    public IReadOnlyList<string> RecentLogs => _imports.RecentLogs;

    /// <summary>Bytes of keys and values in the module's state.</summary>
    public int StateBytes => _state.Bytes;

    /// <summary>The size of the instance's linear memory now (0 once it trapped or was disposed).</summary>
    public long MemoryBytes => _imports.MemoryBytes;

    /// <inheritdoc />
    public void Restore(ReadOnlySpan<byte> delta) => _state.Restore(delta);

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        if (_store is null)
        {
            Volatile.Write(ref _spikesDroppedTrapped, _spikesDroppedTrapped + 1);
            return;
        }

        var payload = neuron.ReadPayload(spike);
        if (payload.Length > WasmAbi.MaxPayloadBytes)
        {
            Volatile.Write(ref _spikesDroppedOversize, _spikesDroppedOversize + 1);
            return;
        }

        if (_onSpike is null)
        {
            Volatile.Write(ref _spikesHandled, _spikesHandled + 1);
            return;
        }

        try
        {
            Enter(neuron);
            if (payload.Length > 0 && _payloadBuffer >= 0)
            {
                // Inside the memory: Enter checked that payload_buffer's 4096 bytes are, and a memory never shrinks.
                payload.CopyTo(_imports.Bytes(_payloadBuffer, payload.Length));
            }

            _store.Fuel = _fuel;
            Volatile.Write(ref _calls, _calls + 1);
            _onSpike((int)spike.Source, (int)spike.Target, (int)spike.Type, (int)spike.Sequence, payload.Length);
            Volatile.Write(ref _spikesHandled, _spikesHandled + 1);
        }
        catch (Exception e) when (IsFromModule(e))
        {
            Volatile.Write(ref _spikesTrapped, _spikesTrapped + 1);
            throw Stop(e, _inExport ?? WasmAbi.OnSpikeExport);
        }
        finally
        {
            _imports.End();
        }
    }

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron) => Call(neuron, _onFire, WasmAbi.OnFireExport);

    /// <summary>Discards the instance (its store and memory).</summary>
    public void Dispose()
    {
        if (_store is not null)
        {
            Release();
        }

        GC.SuppressFinalize(this);
    }

    internal void Call(NeuronHandle neuron, Action? export, string name)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        if (_store is null || (export is null && _initialised))
        {
            return;
        }

        try
        {
            Enter(neuron);
            if (export is not null)
            {
                _store.Fuel = _fuel;
                Volatile.Write(ref _calls, _calls + 1);
                export();
            }
        }
        catch (Exception e) when (IsFromModule(e))
        {
            throw Stop(e, _inExport ?? name);
        }
        finally
        {
            _imports.End();
        }
    }

    internal Action? TickExport => _onTick;

    private static bool IsFromModule(Exception e) => e is WasmtimeException or WasmAbiViolationException or WasmHostFuelException;

    private void Enter(NeuronHandle neuron)
    {
        _imports.Begin(neuron);
        if (_initialised)
        {
            return;
        }

        _initialised = true;
        if (_init is not null)
        {
            _store!.Fuel = _fuel;
            Volatile.Write(ref _calls, _calls + 1);
            _inExport = WasmAbi.InitExport;
            _init();
        }

        if (_payloadBufferExport is not null)
        {
            _inExport = WasmAbi.PayloadBufferExport;
            _store!.Fuel = _fuel;
            var buffer = (uint)_payloadBufferExport();
            _imports.CheckPayloadBuffer(buffer);
            _payloadBuffer = buffer;
        }

        _inExport = null;
    }

    private WasmTrapException Stop(Exception e, string export)
    {
        var cause = e is WasmtimeException { InnerException: { } inner } ? inner : e;
        var kind = cause switch
        {
            WasmAbiViolationException => WasmFaultKind.AbiViolation,
            WasmHostFuelException => WasmFaultKind.OutOfFuel,
            TrapException trap => KindOf(trap),
            _ => WasmFaultKind.Other,
        };
        var reason = cause.Message;
        var stopped = new WasmTrapException(kind, export, Module.Hash, reason, e);
        Trap = stopped;
        Release();
        _runtime.CountTrap(stopped);
        return stopped;
    }

    private static WasmFaultKind KindOf(TrapException trap) => trap.Type switch
    {
        TrapCode.OutOfFuel => WasmFaultKind.OutOfFuel,
        TrapCode.StackOverflow => WasmFaultKind.StackOverflow,
        TrapCode.MemoryOutOfBounds => WasmFaultKind.MemoryOutOfBounds,
        TrapCode.Unreachable => WasmFaultKind.Unreachable,
        _ => WasmFaultKind.Other,
    };

    private void Release()
    {
        _store!.Dispose();
        (_store, _onSpike, _onFire, _onTick, _init, _payloadBufferExport) = (null, null, null, null, null, null);
        _imports.Detach();
        _runtime.CountInstance(-1);
    }
}
