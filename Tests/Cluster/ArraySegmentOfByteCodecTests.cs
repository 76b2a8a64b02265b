using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Xunit.Abstractions;

namespace NeuroMesh.Tests.Cluster;

/// <summary>
/// The block codec for <see cref="ArraySegment{T}"/> of bytes that memory streams' <see cref="MemoryMessageData"/> carries
/// every batch in: round trips through the Orleans serializer, wire size, reading Orleans' own encoding, copies, and
/// its registration on silos and clients.
/// </summary>
[Trait("Tier", "Unit")]
public sealed class ArraySegmentOfByteCodecTests(ITestOutputHelper output)
{
    private static readonly StreamId Stream = StreamId.Create("neuromesh.spikes", "127.0.0.1:11111@1");

    private static IServiceProvider Services(bool withCodec)
    {
        var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(MemoryMessageData).Assembly));
        if (withCodec)
        {
            ArraySegmentOfByteCodec.AddTo(services);
        }

        return services.BuildServiceProvider();
    }

    private static byte[] Pattern(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static MemoryMessageData Message(ArraySegment<byte> payload, long sequence = 42)
        => new() { StreamId = Stream, SequenceNumber = sequence, EnqueueTimeUtc = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), DequeueTimeUtc = new DateTime(2026, 11, 25, 12, 0, 1, DateTimeKind.Utc), Payload = payload };

    private static void AssertSame(MemoryMessageData expected, MemoryMessageData actual)
    {
        Assert.Equal(expected.StreamId, actual.StreamId);
        Assert.Equal(expected.SequenceNumber, actual.SequenceNumber);
        Assert.Equal(expected.EnqueueTimeUtc, actual.EnqueueTimeUtc);
        Assert.Equal(expected.DequeueTimeUtc, actual.DequeueTimeUtc);
        Assert.Equal(expected.Payload.AsSpan().ToArray(), actual.Payload.AsSpan().ToArray());
        Assert.Equal(expected.Payload.Count, actual.Payload.Count);
    }

    public static TheoryData<string> Segments => ["whole", "slice", "one byte", "64 KiB", "empty array", "empty slice", "default"];

    private static ArraySegment<byte> Segment(string name) => name switch
    {
        "whole" => new ArraySegment<byte>(Pattern(300)),
        "slice" => new ArraySegment<byte>(Pattern(1000), 137, 611),
        "one byte" => new ArraySegment<byte>([0xFF]),
        "64 KiB" => new ArraySegment<byte>(Pattern(65_536 + 40), 17, 65_536),
        "empty array" => new ArraySegment<byte>([]),
        "empty slice" => new ArraySegment<byte>(Pattern(10), 4, 0),
        "default" => default,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Segments))]
    public void A_memory_stream_message_round_trips_its_payload_as_a_fresh_array_of_exactly_the_segment(string name)
    {
        var serializer = Services(withCodec: true).GetRequiredService<Serializer>();
        var message = Message(Segment(name));

        var read = serializer.Deserialize<MemoryMessageData>(serializer.SerializeToArray(message));

        AssertSame(message, read);
        if (message.Payload.Count == 0)
        {
            Assert.Null(read.Payload.Array); // as Orleans' own codec: an empty segment reads back as default
        }
        else
        {
            Assert.Equal(0, read.Payload.Offset);
            Assert.Equal(read.Payload.Count, read.Payload.Array!.Length);
            Assert.NotSame(message.Payload.Array, read.Payload.Array);
        }
    }

    [Fact]
    public void A_dequeued_list_keeps_later_references_aligned_after_payloads_over_one_array()
    {
        // The queue grain's Dequeue answers a list; the stream ids repeat (written as references after the first), and
        // two payloads share one array: every reference id written must be the one read back.
        var serializer = Services(withCodec: true).GetRequiredService<Serializer>();
        var shared = Pattern(500, seed: 7);
        var other = StreamId.Create("neuromesh.spikes", "127.0.0.1:22222@2");
        var messages = new List<MemoryMessageData>
        {
            Message(new ArraySegment<byte>(shared), 1),
            Message(new ArraySegment<byte>(shared), 2),
            Message(new ArraySegment<byte>(shared, 10, 20), 3) with { StreamId = other },
            Message(default, 4),
            Message(new ArraySegment<byte>(Pattern(33, seed: 9)), 5) with { StreamId = other },
        };

        var read = serializer.Deserialize<List<MemoryMessageData>>(serializer.SerializeToArray(messages))!;

        Assert.Equal(messages.Count, read.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            AssertSame(messages[i], read[i]);
        }
    }

    [Fact]
    public void The_payload_travels_as_one_block_where_Orleans_generic_codec_writes_it_byte_by_byte()
    {
        var message = Message(new ArraySegment<byte>(Pattern(65_536 + 100), 50, 65_536));
        var block = Services(withCodec: true).GetRequiredService<Serializer>().SerializeToArray(message).Length;
        var generic = Services(withCodec: false).GetRequiredService<Serializer>().SerializeToArray(message).Length;

        output.WriteLine($"65,536-byte payload: {block:N0} bytes as one block, {generic:N0} bytes with Orleans' generic codec");
        Assert.InRange(block, 65_536, 65_536 + 128);
        Assert.True(generic > 2 * 65_536, $"Orleans' generic codec wrote {generic} bytes for a 65,536-byte payload; if it is near the payload's size, Orleans has fixed the cause and this codec may go");
    }

    [Theory]
    [MemberData(nameof(Segments))]
    public void What_a_silo_without_the_codec_wrote_is_read_by_one_with_it(string name)
    {
        var message = Message(Segment(name));
        var written = Services(withCodec: false).GetRequiredService<Serializer>().SerializeToArray(new List<MemoryMessageData> { message, message });

        var read = Services(withCodec: true).GetRequiredService<Serializer>().Deserialize<List<MemoryMessageData>>(written)!;

        Assert.Equal(2, read.Count);
        AssertSame(message, read[0]);
        AssertSame(message, read[1]); // a whole array repeated is written as a reference by Orleans' codec
    }

    [Theory]
    [MemberData(nameof(Segments))]
    public void A_local_call_copies_the_segment_into_its_own_array(string name)
    {
        var services = Services(withCodec: true);
        Assert.IsType<ArraySegmentOfByteCopier>(services.GetRequiredService<IDeepCopier<ArraySegment<byte>>>());
        var message = Message(Segment(name));

        var copy = services.GetRequiredService<DeepCopier>().Copy(message);

        AssertSame(message, copy);
        if (message.Payload.Count > 0)
        {
            Assert.NotSame(message.Payload.Array, copy.Payload.Array);
            Assert.Equal(copy.Payload.Count, copy.Payload.Array!.Length);
        }
    }

    [Fact]
    public void AddNeuroMesh_and_AddNeuroMeshClient_register_the_codec_and_the_copier()
    {
        var configuration = new ConfigurationBuilder().Build();
        var silo = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        silo.UseOrleans(builder => builder.AddNeuroMesh(configuration));
        var client = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        client.UseOrleansClient(builder => builder.AddNeuroMeshClient(configuration));

        foreach (var services in new[] { silo.Services, client.Services })
        {
            Assert.Contains(services, d => d.ServiceType == typeof(IFieldCodec<ArraySegment<byte>>) && d.ImplementationType == typeof(ArraySegmentOfByteCodec));
            Assert.Contains(services, d => d.ServiceType == typeof(IDeepCopier<ArraySegment<byte>>) && d.ImplementationType == typeof(ArraySegmentOfByteCopier));
        }
    }
}
