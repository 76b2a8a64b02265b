using ILGPU.Runtime;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// The pinned host memory of one spike window buffer: its per-tick counts and its compacted spikes, which the device
/// copies asynchronously. The spike array grows (doubling) to the largest window seen.
/// </summary>
internal sealed class PageLocked : IDisposable
{
    private PageLockedArray1D<int>? _spikes;

    public PageLockedArray1D<int>? Counts { get; private set; }

    public PageLockedArray1D<int> CountsFor(Accelerator accelerator, int window)
        => Counts ??= accelerator.AllocatePageLocked1D<int>(Math.Max(1, window));

    /// <summary>A pinned array of at least <paramref name="length"/> spikes.</summary>
    public PageLockedArray1D<int> Spikes(Accelerator accelerator, int length)
    {
        if (_spikes is null || _spikes.Length < length)
        {
            var capacity = Math.Max(Math.Max(1024, length), (int)Math.Min(int.MaxValue / 2, (_spikes?.Length ?? 0) * 2));
            _spikes?.Dispose();
            _spikes = accelerator.AllocatePageLocked1D<int>(capacity);
        }

        return _spikes;
    }

    public void Dispose()
    {
        _spikes?.Dispose();
        Counts?.Dispose();
    }
}
