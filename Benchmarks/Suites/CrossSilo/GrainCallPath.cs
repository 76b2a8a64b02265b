using NeuroMesh.Fabric.Wire;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>
/// The peer: plain Orleans grain calls carrying the same frames (header, CRC32C, 64-byte spikes) to a grain on the
/// receiving silo, with up to <see cref="Window"/> calls in flight. Each call slot has its own sender id and sequence, so
/// the receiver validates every frame as the mesh ingress does without mistaking concurrent calls for replays.
/// </summary>
internal sealed class GrainCallPath(ICrossSiloProbeGrain probe) : ISpikePath
{
    public const int Window = 8;

    private readonly SemaphoreSlim _slots = new(Window, Window);
    private readonly Stack<int> _free = new(Enumerable.Range(0, Window));
    private readonly ulong[] _sequences = new ulong[Window];
    private long _failed;

    public string Name => "Orleans grain calls (same frames)";

    public async ValueTask SendAsync(ReadOnlyMemory<Spike> spikes)
    {
        await _slots.WaitAsync();
        int slot;
        lock (_free)
        {
            slot = _free.Pop();
        }

        var frame = SpikeFrame.Encode((ulong)slot + 1, ++_sequences[slot], 0, 0, spikes.Span);
        _ = CallAsync(slot, frame, spikes.Length);
    }

    public async Task DrainAsync()
    {
        for (var i = 0; i < Window; i++)
        {
            await _slots.WaitAsync();
        }

        _slots.Release(Window);
    }

    public (long Dropped, string Detail) Drops()
    {
        var failed = Interlocked.Read(ref _failed);
        return (failed, $"failed calls' spikes {failed}");
    }

    private async Task CallAsync(int slot, byte[] frame, int spikes)
    {
        try
        {
            await probe.Deliver(frame);
        }
        catch (Exception)
        {
            Interlocked.Add(ref _failed, spikes);
        }
        finally
        {
            lock (_free)
            {
                _free.Push(slot);
            }

            _slots.Release();
        }
    }
}
