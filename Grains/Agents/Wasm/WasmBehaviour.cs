using System.Buffers.Binary;
using System.Text;
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
    /// <summary>The target of a broadcast.</summary>
    internal const uint Broadcast = Spike.BroadcastTarget;

    private const int MaxCapabilityBytes = 128;

    [ThreadStatic]
    private static WasmBehaviour? t_running;
    private const int RecentLogCapacity = 16;

    /// <summary>Lines one call may log; more are counted in <see cref="WasmBehaviourCounters.LogLinesDropped"/>, not logged.</summary>
    private const int LogLinesPerCall = 16;

    private readonly WasmRuntime _runtime;
    private readonly AgentDirectory? _directory;
    private readonly WasmState _state;
    private readonly Queue<string> _recentLogs = new();
    private readonly ulong _fuel;
    private Store? _store;
    private Memory? _memory;
    private nint _memoryBase;
    private long _memoryLength;
    private Action<int, int, int, int, int>? _onSpike;
    private Action? _onFire;
    private Action? _onTick;
    private Action? _init;
    private Func<int>? _payloadBufferExport;
    private long _payloadBuffer = -1;
    private bool _initialised;
    private string? _inExport;
    private NeuronHandle? _current;
    private long _spikesHandled;
    private long _spikesTrapped;
    private long _spikesDroppedTrapped;
    private long _spikesDroppedOversize;
    private long _calls;
    private long _logLines;
    private long _stateRefused;
    private long _logLinesDropped;
    private long _hostFuel;
    private int _logLinesThisCall;

    internal WasmBehaviour(WasmRuntime runtime, WasmModule module, IReadOnlyCollection<string> capabilities, AgentDirectory? directory)
    {
        _runtime = runtime;
        _directory = directory;
        _fuel = (ulong)runtime.Options.FuelPerCall;
        _state = new WasmState(runtime.Options.MaxStateBytes);
        Module = module;
        Capabilities = capabilities;
        var store = runtime.NewStore(this);
        try
        {
            var instance = runtime.Instantiate(store, module);
            _memory = instance.GetMemory(WasmAbi.MemoryExport)!;
            _memoryBase = _memory.GetPointer();
            _memoryLength = _memory.GetLength();
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
        Volatile.Read(ref _logLines),
        Volatile.Read(ref _stateRefused),
        Volatile.Read(ref _logLinesDropped));

    /// <summary>The latest lines the module logged (at most 16), oldest first.</summary>
    public IReadOnlyList<string> RecentLogs
    {
        get
        {
            lock (_recentLogs)
            {
                return [.. _recentLogs];
            }
        }
    }

    /// <summary>Bytes of keys and values in the module's state.</summary>
    public int StateBytes => _state.Bytes;

    /// <summary>The size of the instance's linear memory now (0 once it trapped or was disposed).</summary>
    public long MemoryBytes => _store is null ? 0 : _memory!.GetLength();

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
                payload.CopyTo(Bytes(_payloadBuffer, payload.Length));
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
            _current = null;
            t_running = null;
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
            _current = null;
            t_running = null;
        }
    }

    internal Action? TickExport => _onTick;

    /// <summary>The behaviour whose module is running on this thread (null outside a call): where the imports go.</summary>
    internal static WasmBehaviour? Running => t_running;

    internal int Emit(uint target, int ptr, int len, int type)
    {
        var neuron = Current();
        Charge(WasmImportCosts.Fire + Math.Max(len, 0));
        var payload = Guest(ptr, len, "payload", WasmAbi.MaxPayloadBytes);
        if (type is < 0 or > (int)SpikeType.Modulatory)
        {
            throw new WasmAbiViolationException($"spike type {type} is not 0 (excitatory), 1 (inhibitory) or 2 (modulatory)");
        }

        var published = target == Broadcast
            ? neuron.Broadcast(payload, (SpikeType)type)
            : neuron.FireTo(target, payload, (SpikeType)type);
        return published ? 0 : (int)neuron.LastRefusal;
    }

    internal int EmitTo(int target, int ptr, int len, int type)
    {
        if ((uint)target == Broadcast)
        {
            throw new WasmAbiViolationException("fire_to needs a neuron id; 0xFFFFFFFF is the broadcast target (use broadcast)");
        }

        return Emit((uint)target, ptr, len, type);
    }

    internal int Reward(float value)
    {
        if (!float.IsFinite(value))
        {
            throw new WasmAbiViolationException($"reward {value} is not a finite number");
        }

        var neuron = Current();
        Charge(WasmImportCosts.Fire + 4);
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(payload, value);
        return neuron.Broadcast(payload, SpikeType.Modulatory) ? 0 : (int)neuron.LastRefusal;
    }

    internal int Find(int capPtr, int capLen, int outPtr, int outMax)
    {
        Current();
        Charge(WasmImportCosts.Find);
        var capability = Encoding.UTF8.GetString(Guest(capPtr, capLen, "capability", MaxCapabilityBytes));
        if (outMax < 0)
        {
            throw new WasmAbiViolationException($"find's out_max {outMax} is negative");
        }

        var output = Guest(outPtr, checked(outMax * 4), "output", int.MaxValue);
        IReadOnlyList<AgentCard> found;
        try
        {
            found = _directory?.FindByCapability(capability) ?? [];
        }
        catch (ArgumentException e)
        {
            throw new WasmAbiViolationException($"find: '{capability}' is not a capability name: {e.Message}");
        }

        var ids = found.Select(c => c.NeuronId).Order().ToArray();
        Charge(WasmImportCosts.PerFound * ids.Length);
        for (var i = 0; i < Math.Min(ids.Length, outMax); i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output[(i * 4)..], ids[i]);
        }

        return ids.Length;
    }

    internal int StateGet(int keyPtr, int keyLen, int outPtr, int outCap)
    {
        Current();
        Charge(WasmImportCosts.State + Math.Max(outCap, 0));
        var key = Key(keyPtr, keyLen);
        if (_state.Get(key) is not { } value)
        {
            return -1;
        }

        if (outCap < 0)
        {
            throw new WasmAbiViolationException($"state_get's out_cap {outCap} is negative");
        }

        var output = Guest(outPtr, outCap, "output", int.MaxValue);
        value.AsSpan(0, Math.Min(value.Length, outCap)).CopyTo(output);
        return value.Length;
    }

    internal int StatePut(int keyPtr, int keyLen, int valuePtr, int valueLen)
    {
        var neuron = Current();
        Charge(WasmImportCosts.State + Math.Max(valueLen, 0));
        var key = Key(keyPtr, keyLen).ToArray();
        var value = Guest(valuePtr, valueLen, "value", _runtime.Options.MaxStateBytes);
        if (_state.Put(key, value, neuron))
        {
            return 0;
        }

        Volatile.Write(ref _stateRefused, _stateRefused + 1);
        return -1;
    }

    internal long Now()
    {
        var neuron = Current();
        Charge(WasmImportCosts.Now);
        return neuron.Tick;
    }

    internal void Log(int ptr, int len)
    {
        var neuron = Current();
        Charge(WasmImportCosts.Log + Math.Max(len, 0));
        var bytes = Guest(ptr, len, "log line", int.MaxValue);
        if (++_logLinesThisCall > LogLinesPerCall)
        {
            Volatile.Write(ref _logLinesDropped, _logLinesDropped + 1);
            return;
        }

        var line = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, WasmAbi.MaxLogLineBytes)]);
        Volatile.Write(ref _logLines, _logLines + 1);
        lock (_recentLogs)
        {
            _recentLogs.Enqueue(line);
            if (_recentLogs.Count > RecentLogCapacity)
            {
                _recentLogs.Dequeue();
            }
        }

        WasmLog.Guest(_runtime.Logger, neuron.Id, Module.Hash[..12], line);
    }

    private static bool IsFromModule(Exception e) => e is WasmtimeException or WasmAbiViolationException or WasmHostFuelException;

    private void Enter(NeuronHandle neuron)
    {
        _current = neuron;
        t_running = this;
        _hostFuel = (long)_fuel;
        _logLinesThisCall = 0;
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
            _memoryLength = _memory!.GetLength();
            if (buffer + (long)WasmAbi.MaxPayloadBytes > _memoryLength)
            {
                throw new WasmAbiViolationException($"payload_buffer returned {buffer}, but {WasmAbi.MaxPayloadBytes} bytes from there are not inside the {_memoryLength}-byte memory");
            }

            _payloadBuffer = buffer;
        }

        _inExport = null;
    }

    /// <summary>
    /// Takes an import's cost from the call's host budget (as much as its fuel), so a module that loops on imports (which
    /// burn little fuel of their own) is stopped like one that loops on instructions.
    /// </summary>
    private void Charge(long units)
    {
        _hostFuel -= units;
        if (_hostFuel < 0)
        {
            throw new WasmHostFuelException($"the call's imports used up its {_fuel} units of host work (WasmOptions.FuelPerCall)");
        }
    }

    private NeuronHandle Current()
        => _current ?? throw new WasmAbiViolationException("imports can be called only from init, on_spike, on_fire and on_tick");

    private ReadOnlySpan<byte> Key(int ptr, int len)
    {
        if (len is < 1 or > WasmAbi.MaxStateKeyBytes)
        {
            throw new WasmAbiViolationException($"a state key of {len} bytes; keys are 1 to {WasmAbi.MaxStateKeyBytes} bytes");
        }

        return Guest(ptr, len, "key", WasmAbi.MaxStateKeyBytes);
    }

    /// <summary>The module's bytes at [ptr, ptr+len): a span valid until the memory grows (the caller copies before calling back in).</summary>
    private Span<byte> Guest(int ptr, int len, string what, int limit)
    {
        if (len < 0 || len > limit)
        {
            throw new WasmAbiViolationException($"a {what} of {len} bytes; the limit is {limit}");
        }

        var start = (uint)ptr;
        if (start + (long)len > _memoryLength)
        {
            // The module may have grown its memory since the length was read (a memory never shrinks).
            _memoryLength = _memory!.GetLength();
            if (start + (long)len > _memoryLength)
            {
                throw new WasmAbiViolationException($"the {what} at {start} of {len} bytes is outside the module's {_memoryLength}-byte memory");
            }
        }

        return len == 0 ? [] : Bytes(start, len);
    }

    /// <summary>
    /// [start, start+len) of the memory, already checked to be inside it. The runtime's engine never moves a memory
    /// (<c>memory_may_move</c> off), so the base address read at instantiation holds while the instance lives.
    /// </summary>
    private unsafe Span<byte> Bytes(long start, int len) => new((byte*)_memoryBase + start, len);

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
        (_store, _memory, _onSpike, _onFire, _onTick, _init, _payloadBufferExport) = (null, null, null, null, null, null, null);
        (_memoryBase, _memoryLength) = (0, 0);
        _runtime.CountInstance(-1);
    }
}
