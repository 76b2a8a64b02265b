using System.Data.Common;
using System.Runtime.InteropServices;

namespace NeuroMesh.Persistence;

/// <summary>Small ADO.NET helpers shared by the backends.</summary>
internal static class DbCommandExtensions
{
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The payload as an array, without a copy when it already is a whole array.</summary>
    public static byte[] AsArray(this ReadOnlyMemory<byte> memory)
        => MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
