using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>The neuron state on the device (structure of arrays) plus the fired flags of the current tick.</summary>
internal struct NeuronViews
{
    public ArrayView<float> V;
    public ArrayView<float> Ge;
    public ArrayView<float> Gi;
    public ArrayView<int> RefUntil;
    public ArrayView<byte> Population;
    public ArrayView<int> Fired;
}

/// <summary>
/// The fixed-point input rings: Acc[channel × ChannelSize + slot × Stride + neuron], the same layout per channel as
/// <see cref="Cpu.NeuronState"/> (input in slot s arrives at the end of tick ≡ s mod Slots).
/// </summary>
internal struct RingViews
{
    public ArrayView<int> Acc;
    public int Slots;
    public int Stride;
    public int ChannelSize;

    /// <summary>The offset of the slot that tick <paramref name="tick"/>'s input lands in, on <paramref name="channel"/>.</summary>
    public readonly int Offset(int channel, int tick) => (channel * ChannelSize) + ((((tick % Slots) + Slots) % Slots) * Stride);
}

/// <summary>
/// Synapses as CSR rows by source: RowStart[j] .. RowStart[j + 1] index Target, Weight (fixed point) and
/// DelayChannel ((delay &lt;&lt; 2) | channel). Order within a row is free: integer atomics make the sum order-independent.
/// </summary>
internal struct CsrViews
{
    public ArrayView<int> RowStart;
    public ArrayView<int> Target;
    public ArrayView<int> Weight;
    public ArrayView<int> DelayChannel;
}

/// <summary>
/// The spikes of one window: Spikes[Meta[0] ..] is where the next tick's spikes go. After a tick's compaction,
/// Meta[1] is the offset of its spikes, Meta[2] their count, and TickCounts[tick in window] the count.
/// </summary>
internal struct SpikeWindowViews
{
    public ArrayView<int> Spikes;
    public ArrayView<int> Meta;
    public ArrayView<int> TickCounts;
}
