using System.Buffers.Binary;
using System.Text;
using NeuroMesh.Spikes;
using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// The host side of one instance's imports: what each ABI import does, the checks on the module's pointers and lengths,
/// and the call's host budget. Its <see cref="WasmBehaviour"/> opens it for each call into the module
/// (<see cref="Begin"/>) and closes it after (<see cref="End"/>); the imports reach it through <see cref="Running"/>.
/// </summary>
internal sealed class WasmImportCalls
{
    /// <summary>The target of a broadcast.</summary>
    private const uint Broadcast = Spike.BroadcastTarget;

    private const int MaxCapabilityBytes = 128;
    private const int RecentLogCapacity = 16;

    /// <summary>Lines one call may log; more are counted in <see cref="LogLinesDropped"/>, not logged.</summary>
    private const int LogLinesPerCall = 16;

    [ThreadStatic]
    private static WasmImportCalls? t_running;

    private readonly WasmRuntime _runtime;
    private readonly string _moduleHash;
    private readonly AgentDirectory? _directory;
    private readonly WasmState _state;
    private readonly Queue<string> _recentLogs = new();
    private readonly long _budget;
    private Memory? _memory;
    private nint _memoryBase;
    private long _memoryLength;
    private NeuronHandle? _current;
    private long _hostFuel;
    private int _logLinesThisCall;
    private long _logLines;
    private long _stateRefused;
    private long _logLinesDropped;

    public WasmImportCalls(WasmRuntime runtime, string moduleHash, AgentDirectory? directory, WasmState state, Memory memory)
    {
        _runtime = runtime;
        _moduleHash = moduleHash;
        _directory = directory;
        _state = state;
        _budget = runtime.Options.FuelPerCall;
        _memory = memory;
        _memoryBase = memory.GetPointer();
        _memoryLength = memory.GetLength();
    }

    /// <summary>The instance whose module is running on this thread (null outside a call): where the imports go.</summary>
    /// <remarks>A thread-static costs less per import call than finding the instance through the caller's store.</remarks>
    public static WasmImportCalls? Running => t_running;

    public long LogLines => Volatile.Read(ref _logLines);

    public long LogLinesDropped => Volatile.Read(ref _logLinesDropped);

    public long StateRefused => Volatile.Read(ref _stateRefused);

    /// <summary>The size of the memory now (0 once detached).</summary>
    public long MemoryBytes => _memory?.GetLength() ?? 0;

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

    /// <summary>Opens a call into the module on behalf of <paramref name="neuron"/>: a fresh host budget and log allowance.</summary>
    public void Begin(NeuronHandle neuron)
    {
        _current = neuron;
        t_running = this;
        _hostFuel = _budget;
        _logLinesThisCall = 0;
    }

    /// <summary>Closes the call: imports reached from here on are refused.</summary>
    public void End()
    {
        _current = null;
        t_running = null;
    }

    /// <summary>Forgets the memory (its store is gone).</summary>
    public void Detach() => (_memory, _memoryBase, _memoryLength) = (null, 0, 0);

    /// <summary>Checks that the payload buffer's <see cref="WasmAbi.MaxPayloadBytes"/> bytes at <paramref name="buffer"/> are inside the memory.</summary>
    public void CheckPayloadBuffer(uint buffer)
    {
        _memoryLength = _memory!.GetLength();
        if (buffer + (long)WasmAbi.MaxPayloadBytes > _memoryLength)
        {
            throw new WasmAbiViolationException($"payload_buffer returned {buffer}, but {WasmAbi.MaxPayloadBytes} bytes from there are not inside the {_memoryLength}-byte memory");
        }
    }

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

        WasmLog.Guest(_runtime.Logger, neuron.Id, _moduleHash[..12], line);
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
            throw new WasmHostFuelException($"the call's imports used up its {_budget} units of host work (WasmOptions.FuelPerCall)");
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
    public unsafe Span<byte> Bytes(long start, int len) => new((byte*)_memoryBase + start, len);
}
