using System.Runtime.CompilerServices;

namespace NeuroMesh.Spikes;

/// <summary>The 36-byte inline payload of a <see cref="Spike"/>.</summary>
[InlineArray(Spike.InlinePayloadCapacity)]
public struct SpikePayload
{
    private byte _element0;
}
