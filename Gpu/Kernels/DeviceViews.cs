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
/// <see cref="Cpu.NeuronArrays"/> (input in slot s arrives at the end of tick ≡ s mod Slots).
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
/// Spikes and where they are. For a window: Meta holds a triple (unused, first, count) per tick w at 3·(w + 1), after a
/// triple for "before the first tick" at 0 (see <see cref="SpikeKernels.Compact"/>), and TickCounts[w] the count. For a
/// kernel that reads one tick's spikes (propagation, plasticity), Meta is that tick's triple (<see cref="Tick"/>):
/// Spikes[Meta[1] .. Meta[1] + Meta[2]).
/// </summary>
internal struct SpikeWindowViews
{
    public ArrayView<int> Spikes;
    public ArrayView<int> Meta;
    public ArrayView<int> TickCounts;

    /// <summary>Tick <paramref name="tickInWindow"/>'s spikes of this window.</summary>
    public readonly SpikeWindowViews Tick(int tickInWindow) => this with { Meta = Meta.SubView(3 * (tickInWindow + 1), 3) };

    /// <summary>The Meta length of a window of <paramref name="ticks"/> ticks.</summary>
    public static long MetaLength(int ticks) => 3L * (ticks + 1);
}
