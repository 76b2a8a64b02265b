namespace NeuroMesh.Agents.Wasm;

/// <summary>Why a WebAssembly behaviour stopped: the kind of its trap.</summary>
public enum WasmFaultKind
{
    /// <summary>A trap of another kind (integer overflow or division by zero, a bad indirect call, ...).</summary>
    Other = 0,

    /// <summary>The call used up its fuel (<see cref="WasmOptions.FuelPerCall"/>): an endless or too long loop.</summary>
    OutOfFuel = 1,

    /// <summary>The module read or wrote outside its memory (often after a <c>memory.grow</c> that the memory cap refused).</summary>
    MemoryOutOfBounds = 2,

    /// <summary>The call ran past <see cref="WasmOptions.MaxStackBytes"/>: too deep a recursion.</summary>
    StackOverflow = 3,

    /// <summary>The module executed <c>unreachable</c> (a panic or abort in its source language).</summary>
    Unreachable = 4,

    /// <summary>The module called an import against the ABI: a pointer outside its memory, a payload over the limit, an unknown spike type.</summary>
    AbiViolation = 5,
}
