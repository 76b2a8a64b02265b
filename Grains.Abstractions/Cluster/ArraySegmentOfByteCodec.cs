using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace NeuroMesh.Cluster;

/// <summary>
/// Writes an <see cref="ArraySegment{T}"/> of bytes as one length-prefixed block (a field header, the length, the bytes)
/// instead of Orleans' generic <c>ArraySegmentCodec&lt;T&gt;</c>, which writes a field header and a value per byte. Memory
/// streams carry every batch in <c>MemoryMessageData.Payload</c>, an <see cref="ArraySegment{T}"/> of bytes, so the generic
/// codec cost a per-byte encode and decode on every hop of every batch.
/// </summary>
/// <remarks>
/// <para>
/// Orleans' codec lookup searches constructed generic types by their definition, so it never finds a codec registered for
/// the closed type; generated serializers, however, resolve a field's codec as <c>IFieldCodec&lt;TField&gt;</c> from the
/// service provider, where a closed registration wins over Orleans' open generic one. <see cref="AddTo"/> registers this
/// codec that way, so it serves every field declared as <see cref="ArraySegment{T}"/> of bytes (the memory-stream message
/// among them); a value sent as <see cref="object"/> is still written and read by Orleans' own codec on both ends.
/// </para>
/// <para>
/// Semantics are Orleans': the value read is a fresh array holding exactly the segment's bytes (offset 0), and an empty
/// segment (default or not) reads back as <c>default</c>. The reader also accepts Orleans' generic encoding (tag-delimited
/// elements, or a reference to an earlier array), so a silo with this codec reads what a silo without it wrote; the
/// reverse is not true, so every silo and client of a cluster must register it (AddNeuroMesh and AddNeuroMeshClient do).
/// </para>
/// </remarks>
public sealed class ArraySegmentOfByteCodec : IFieldCodec<ArraySegment<byte>>
{
    private static readonly Type CodecType = typeof(ArraySegment<byte>);

    /// <summary>
    /// Registers this codec and Orleans' block copier (<see cref="ArraySegmentOfByteCopier"/>, which its copier lookup
    /// also misses for the same reason) for fields of type <see cref="ArraySegment{T}"/> of bytes.
    /// </summary>
    public static IServiceCollection AddTo(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IFieldCodec<ArraySegment<byte>>, ArraySegmentOfByteCodec>();
        services.AddSingleton<IDeepCopier<ArraySegment<byte>>, ArraySegmentOfByteCopier>();
        return services;
    }

    /// <inheritdoc/>
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, ArraySegment<byte> value)
        where TBufferWriter : IBufferWriter<byte>
    {
        // A value, never a reference: the reader records it under the same id, so later references stay aligned.
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteFieldHeader(fieldIdDelta, expectedType, CodecType, WireType.LengthPrefixed);
        var bytes = value.AsSpan();
        writer.WriteVarUInt32((uint)bytes.Length);
        writer.Write(bytes);
    }

    /// <inheritdoc/>
    public ArraySegment<byte> ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        switch (field.WireType)
        {
            case WireType.LengthPrefixed:
            {
                var length = reader.ReadVarUInt32();
                reader.EnsureAvailable(length);
                var bytes = reader.ReadBytes(length);
                ReferenceCodec.RecordObject(reader.Session, bytes);
                return bytes.Length == 0 ? default : new ArraySegment<byte>(bytes);
            }

            case WireType.Reference:
                return ReferenceCodec.ReadReference<byte[], TInput>(ref reader, field) is { Length: > 0 } referenced ? new ArraySegment<byte>(referenced) : default;

            case WireType.TagDelimited:
                return ReadElements(ref reader);

            default:
                field.EnsureWireType(WireType.LengthPrefixed);
                return default;
        }
    }

    // Orleans' generic encoding: field 0 is the length, then one byte field per element, then the end marker.
    private static ArraySegment<byte> ReadElements<TInput>(ref Reader<TInput> reader)
    {
        var placeholder = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        byte[]? result = null;
        uint fieldId = 0;
        var index = 0;
        while (true)
        {
            var header = reader.ReadFieldHeader();
            if (header.IsEndBaseOrEndObject)
            {
                break;
            }

            fieldId += header.FieldIdDelta;
            switch (fieldId)
            {
                case 0:
                    var length = UInt32Codec.ReadValue(ref reader, header);
                    reader.EnsureAvailable(length);
                    result = new byte[length];
                    ReferenceCodec.RecordObject(reader.Session, result, placeholder);
                    break;
                case 1:
                    if (result is null || index >= result.Length)
                    {
                        throw new InvalidOperationException($"An ArraySegment<byte> field has {(result is null ? "elements before its length" : $"more than its declared {result.Length} elements")}.");
                    }

                    result[index++] = ByteCodec.ReadValue(ref reader, header);
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }

        if (result is null)
        {
            // No length field: the segment was empty. Orleans' writer may still have recorded its (empty) array, and
            // later fields may refer to it, so the placeholder gets an empty array rather than staying unresolved.
            ReferenceCodec.RecordObject(reader.Session, Array.Empty<byte>(), placeholder);
            return default;
        }

        return result.Length > 0 ? new ArraySegment<byte>(result) : default;
    }
}
