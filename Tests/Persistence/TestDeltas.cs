using System.Text;
using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>Deterministic deltas: delta n of a writer has a payload that names both, so any duplicate or loss is visible.</summary>
internal static class TestDeltas
{
    public static Delta For(int n, string writer = "w") => new(n % 3 == 0 ? "SynapseEdited" : "ParamsSet", Payload(n, writer));

    public static byte[] Payload(int n, string writer = "w") => Encoding.UTF8.GetBytes($"{writer}:delta-{n}:{new string('x', n % 17)}");

    public static DeltaBatch Batch(int first, int count, string writer = "w")
        => DeltaBatch.Create(Enumerable.Range(first, count).Select(n => For(n, writer)));

    public static async Task<List<DeltaRecord>> ReadAllAsync(this IDeltaLogStore store, string streamId, long fromVersion = 1)
    {
        var records = new List<DeltaRecord>();
        await foreach (var record in store.ReadAsync(streamId, fromVersion))
        {
            records.Add(record);
        }

        return records;
    }

    public static string Text(this DeltaRecord record) => Encoding.UTF8.GetString(record.Payload.Span);
}
