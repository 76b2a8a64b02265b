namespace NeuroMesh.Agents.Wasm;

/// <summary>The limits and settings of a silo's <see cref="WasmRuntime"/> (section <c>NeuroMesh:Wasm</c>).</summary>
public sealed record WasmOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Wasm";

    /// <summary>Fuel each call into a module gets (about one unit per WebAssembly instruction); running out traps.</summary>
    public long FuelPerCall { get; init; } = 10_000_000;

    /// <summary>The most bytes one instance's linear memory may hold; <c>memory.grow</c> past it fails (returns -1).</summary>
    public long MaxMemoryBytes { get; init; } = 1 << 20;

    /// <summary>The most elements a table may hold; a module that declares more is refused.</summary>
    public int MaxTableElements { get; init; } = 10_000;

    /// <summary>The most bytes of native stack a call may use; deeper recursion traps as a stack overflow.</summary>
    public int MaxStackBytes { get; init; } = 256 * 1024;

    /// <summary>The largest module accepted, in bytes.</summary>
    public int MaxModuleBytes { get; init; } = 4 << 20;

    /// <summary>The most bytes of keys and values one instance's state may hold; <c>state_put</c> past it returns -1.</summary>
    public int MaxStateBytes { get; init; } = 64 * 1024;

    /// <summary>How instances get their memory: on demand (default) or from a pool reserved when the runtime starts.</summary>
    public WasmAllocation Allocation { get; init; } = WasmAllocation.OnDemand;

    /// <summary>With <see cref="WasmAllocation.Pooling"/>: how many instances the pool holds (one per hosted agent, plus one for loading).</summary>
    public int PoolSlots { get; init; } = 10_240;

    /// <summary>Throws a clear error for an invalid setting; the message names it.</summary>
    public void Validate()
    {
        Positive(FuelPerCall, nameof(FuelPerCall));
        Positive(MaxTableElements, nameof(MaxTableElements));
        Positive(MaxModuleBytes, nameof(MaxModuleBytes));
        Positive(MaxStateBytes, nameof(MaxStateBytes));
        Positive(PoolSlots, nameof(PoolSlots));
        if (MaxMemoryBytes < Wasmtime.Memory.PageSize || MaxMemoryBytes % Wasmtime.Memory.PageSize != 0 || MaxMemoryBytes > 1L << 32)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMemoryBytes), $"MaxMemoryBytes must be a whole number of 64 KiB pages between 64 KiB and 4 GiB (got {MaxMemoryBytes}).");
        }

        if (MaxStackBytes < 16 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStackBytes), $"MaxStackBytes must be at least 16 KiB (got {MaxStackBytes}).");
        }

        if (!Enum.IsDefined(Allocation))
        {
            throw new ArgumentOutOfRangeException(nameof(Allocation), $"Unknown allocation {(int)Allocation}.");
        }
    }

    private static void Positive(long value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be positive (got {value}).");
        }
    }
}
