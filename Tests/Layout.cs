using System.Runtime.CompilerServices;

namespace NeuroMesh.Tests;

/// <summary>Field offsets for the layout tests.</summary>
internal static class Layout
{
    /// <summary>Bytes from the start of <paramref name="owner"/> to <paramref name="field"/>.</summary>
    public static long Offset<TStruct, TField>(ref TStruct owner, ref TField field)
        => Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref owner), ref Unsafe.As<TField, byte>(ref field));
}
