using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A silo's WebAssembly host: one Wasmtime <see cref="Wasmtime.Engine"/> (fuel metering on, no WASI, no threads), one linker with
/// the ABI's imports, and a cache of compiled modules keyed by the SHA-256 of their bytes, so each distinct module is
/// compiled once. Each behaviour instance gets its own store with the memory and table caps of <see cref="Options"/>.
/// Thread-safe.
/// </summary>
public sealed class WasmRuntime : IDisposable
{
    private readonly Wasmtime.Engine _engine;
    private readonly Linker _linker;
    private readonly Lock _instantiateLock = new();
    private readonly ConcurrentDictionary<string, Lazy<WasmModule>> _modules = new(StringComparer.Ordinal);
    private long _compiled;
    private long _cacheHits;
    private long _refused;
    private long _instancesCreated;
    private long _instancesLive;
    private long _traps;

    /// <summary>Creates the runtime.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public WasmRuntime(WasmOptions? options = null, ILogger<WasmRuntime>? logger = null)
    {
        Options = options ?? new WasmOptions();
        Options.Validate();
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        _engine = new Wasmtime.Engine(CreateConfig(Options));
        _linker = new Linker(_engine);
        WasmImports.Define(_linker);
    }

    /// <summary>The limits every instance runs under.</summary>
    public WasmOptions Options { get; }

    /// <summary>The runtime's accounting.</summary>
    public WasmRuntimeCounters Counters => new(
        Interlocked.Read(ref _compiled),
        Interlocked.Read(ref _cacheHits),
        Interlocked.Read(ref _refused),
        Interlocked.Read(ref _instancesCreated),
        Interlocked.Read(ref _instancesLive),
        Interlocked.Read(ref _traps));

    internal ILogger Logger { get; }

    /// <summary>The SHA-256 of <paramref name="bytes"/>, lower-case hex: a module's identity.</summary>
    public static string HashOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Loads a module from its binary: from the cache when the same bytes were loaded before, otherwise compiled, checked
    /// against the ABI and instantiated once on trial (its start function, its tables and its <c>abi_version</c>).
    /// </summary>
    /// <exception cref="WasmModuleRefusedException">The module is malformed, too large, imports anything outside the ABI (named), lacks a required export, or is over a limit.</exception>
    public WasmModule Load(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Options.MaxModuleBytes)
        {
            Interlocked.Increment(ref _refused);
            throw new WasmModuleRefusedException($"Module refused: {bytes.Length} bytes, over the {Options.MaxModuleBytes}-byte limit (WasmOptions.MaxModuleBytes).");
        }

        var hash = HashOf(bytes);
        if (_modules.TryGetValue(hash, out var cached))
        {
            Interlocked.Increment(ref _cacheHits);
        }
        else
        {
            var fresh = new Lazy<WasmModule>(Compile(hash, bytes.ToArray()), LazyThreadSafetyMode.ExecutionAndPublication);
            cached = _modules.GetOrAdd(hash, fresh);
            if (!ReferenceEquals(cached, fresh))
            {
                Interlocked.Increment(ref _cacheHits);
            }
        }

        try
        {
            return cached.Value;
        }
        catch (WasmModuleRefusedException e)
        {
            Interlocked.Increment(ref _refused);
            WasmLog.ModuleRefused(Logger, hash, e.Message);
            throw;
        }
    }

    /// <summary>Loads a module from WebAssembly text (WAT), converted to its binary first (the binary's hash is its identity).</summary>
    /// <exception cref="WasmModuleRefusedException">The text does not parse, or the module is refused as by <see cref="Load(ReadOnlySpan{byte})"/>.</exception>
    public WasmModule LoadText(string wat)
    {
        ArgumentNullException.ThrowIfNull(wat);
        byte[] binary;
        try
        {
            binary = Module.ConvertText(wat);
        }
        catch (WasmtimeException e)
        {
            Interlocked.Increment(ref _refused);
            throw new WasmModuleRefusedException($"Module refused: the WebAssembly text does not parse: {e.Message}");
        }

        return Load(binary);
    }

    /// <summary>The compiled module with this hash, when this runtime loaded it (and did not refuse it).</summary>
    public bool TryGet(string hash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WasmModule? module)
    {
        module = null;
        if (!_modules.TryGetValue(hash, out var cached) || !cached.IsValueCreated)
        {
            return false;
        }

        try
        {
            module = cached.Value;
            return true;
        }
        catch (WasmModuleRefusedException)
        {
            return false;
        }
    }

    /// <summary>True when a module with this hash is compiled and cached.</summary>
    public bool IsCached(string hash) => _modules.TryGetValue(hash, out var module) && module.IsValueCreated;

    /// <summary>Creates a behaviour: a new instance of <paramref name="module"/> in its own store.</summary>
    /// <param name="module">A module this runtime loaded.</param>
    /// <param name="capabilities">What the behaviour advertises for discovery.</param>
    /// <param name="directory">Where the module's <c>find</c> looks (the silo mesh's directory); null finds nothing.</param>
    /// <exception cref="WasmModuleRefusedException">The instance could not be created (a limit of the store or the pool was hit).</exception>
    /// <exception cref="ArgumentException">Another runtime loaded the module.</exception>
    public WasmBehaviour CreateBehaviour(WasmModule module, IReadOnlyCollection<string>? capabilities = null, AgentDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!ReferenceEquals(module.Owner, this))
        {
            throw new ArgumentException($"{module} was compiled by another WasmRuntime (another engine); load it into this one.", nameof(module));
        }

        return module.HasOnTick
            ? new WasmTickingBehaviour(this, module, capabilities ?? [], directory)
            : new WasmBehaviour(this, module, capabilities ?? [], directory);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _linker.Dispose();
        _engine.Dispose();
    }

    /// <summary>A store with this runtime's limits (the imports find their instance through <see cref="WasmImportCalls.Running"/>, not the store).</summary>
    internal Store NewStore()
    {
        var store = new Store(_engine);
        store.SetLimits(memorySize: Options.MaxMemoryBytes, tableElements: (uint)Options.MaxTableElements, instances: 1, tables: 4, memories: 1);
        store.Fuel = (ulong)Options.FuelPerCall;
        return store;
    }

    /// <summary>Instantiates <paramref name="module"/> in <paramref name="store"/> (its start function runs on the store's fuel).</summary>
    internal Instance Instantiate(Store store, WasmModule module)
    {
        // Linker is shared by every grain thread; instantiation only reads it, but the .NET binding does not promise that.
        lock (_instantiateLock)
        {
            return _linker.Instantiate(store, module.Compiled);
        }
    }

    internal void CountInstance(int delta)
    {
        if (delta > 0)
        {
            Interlocked.Increment(ref _instancesCreated);
        }

        Interlocked.Add(ref _instancesLive, delta);
    }

    internal void CountTrap(WasmTrapException trap)
    {
        Interlocked.Increment(ref _traps);
        WasmLog.Trapped(Logger, trap.ModuleHash, trap.Export, trap.Kind, trap.Message);
    }

    private static Config CreateConfig(WasmOptions options)
    {
        // Memories are reserved at their cap (not Wasmtime's 4 GiB default) with a small guard, so 10,000 instances fit in
        // the address space; bounds checks are then explicit instead of guard-page faults. A memory never moves, so a
        // behaviour keeps its memory's base address for the instance's life (WasmBehaviour.Bytes).
        var config = new Config()
            .WithFuelConsumption(true)
            .WithMaximumStackSize(options.MaxStackBytes)
            .WithWasmThreads(false)
            .WithStaticMemoryMaximumSize((ulong)options.MaxMemoryBytes)
            .WithMemoryGuardSize(64 * 1024)
            .WithMemoryReservationForGrowth(0)
            .WithMemoryMayMove(false);
        if (options.Allocation == WasmAllocation.Pooling)
        {
            var pool = new PoolingAllocationConfig()
                .WithMaxCoreInstances((uint)options.PoolSlots)
                .WithMaxMemories((uint)options.PoolSlots)
                .WithMaxTables((uint)options.PoolSlots)
                .WithMaxMemorySize((nuint)options.MaxMemoryBytes)
                .WithMaxTableElements((nuint)options.MaxTableElements)
                .WithMaxMemoriesPerModule(1)
                .WithMaxTablesPerModule(4);
            config = config.WithPoolingAllocationStrategy(pool);
        }

        return config;
    }

    private Func<WasmModule> Compile(string hash, byte[] bytes) => () =>
    {
        Module module;
        try
        {
            module = Module.FromBytes(_engine, hash[..12], bytes);
        }
        catch (WasmtimeException e)
        {
            throw new WasmModuleRefusedException($"Module {hash[..12]} refused: it is not a valid WebAssembly module: {e.Message}");
        }

        if (WasmAbi.Problem(module, Options.MaxMemoryBytes) is { } problem)
        {
            module.Dispose();
            throw new WasmModuleRefusedException($"Module {hash[..12]} refused: {problem}.");
        }

        var loaded = new WasmModule(this, module, hash, bytes.Length);
        Trial(loaded);
        Interlocked.Increment(ref _compiled);
        return loaded;
    };

    /// <summary>Instantiates the module once with no behaviour behind it: its start function, tables and memory must fit, and it must speak this ABI version.</summary>
    private void Trial(WasmModule module)
    {
        using var store = NewStore();
        try
        {
            var instance = Instantiate(store, module);
            var version = instance.GetFunction<int>(WasmAbi.AbiVersionExport)!();
            if (version != WasmAbi.Version)
            {
                throw new WasmModuleRefusedException($"Module {module.Hash[..12]} refused: its abi_version is {version}; this host speaks version {WasmAbi.Version}.");
            }

            if (module.HasStateVersion)
            {
                store.Fuel = (ulong)Options.FuelPerCall;
                module.StateVersion = instance.GetFunction<int>(WasmAbi.StateVersionExport)!();
            }
        }
        catch (WasmtimeException e)
        {
            throw new WasmModuleRefusedException($"Module {module.Hash[..12]} refused: instantiating it failed (its tables, memory or start function are over the limits): {e.Message}");
        }
    }
}
