using NeuroMesh.Cluster;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Cluster;

/// <summary>Spikes of numbered test streams: the source names the stream, the sequence numbers its spikes, the rest is derived from both.</summary>
internal static class MeshSpikes
{
    public static Spike[] Make(uint source, int first, int count)
    {
        var spikes = new Spike[count];
        for (var i = 0; i < count; i++)
        {
            var n = (uint)(first + i);
            spikes[i] = Spike.Create(source, target: n * 7, tick: n / 100, sequence: n);
            spikes[i].Timestamp = ((long)source << 32) | n;
        }

        return spikes;
    }

    public static bool IsIntact(in Spike spike)
        => spike.Target == spike.Sequence * 7 && spike.Tick == spike.Sequence / 100 && spike.Timestamp == (((long)spike.Source << 32) | spike.Sequence);
}

/// <summary>A mesh consumer that checks and counts every spike per source: intact, and in increasing sequence order.</summary>
internal sealed class RecordingConsumer : IMeshSpikeConsumer
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, (long Count, long Last, long Damaged, long OutOfOrder)> _sources = [];

    public void Deliver(ulong sender, ReadOnlySpan<Spike> spikes)
    {
        lock (_gate)
        {
            foreach (ref readonly var spike in spikes)
            {
                var s = _sources.GetValueOrDefault(spike.Source, (0, -1, 0, 0));
                _sources[spike.Source] = (s.Count + 1, spike.Sequence, s.Damaged + (MeshSpikes.IsIntact(spike) ? 0 : 1), s.OutOfOrder + (spike.Sequence > s.Last ? 0 : 1));
            }
        }
    }

    public (long Count, long Last, long Damaged, long OutOfOrder) Of(uint source)
    {
        lock (_gate)
        {
            return _sources.GetValueOrDefault(source, (0, -1, 0, 0));
        }
    }
}
