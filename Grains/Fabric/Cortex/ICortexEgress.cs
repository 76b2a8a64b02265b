using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// Where a <see cref="Cortex"/> hands the spikes of its neurons that have receivers outside this mesh (neurons hosted on
/// other silos). Called on the loop thread, inside a pass, under the pass lock: it must not block or call back into the
/// Cortex.
/// </summary>
public interface ICortexEgress
{
    /// <summary>
    /// Offers a spike fired by (or injected for) a hosted neuron. A broadcast goes to the remote targets of its source; an
    /// addressed spike whose target is not in this mesh goes to that target if it is remote.
    /// </summary>
    /// <returns>How many remote receivers took the spike (0 when it has none).</returns>
    int Forward(in Spike spike);

    /// <summary>Called once at the end of every pass, so the egress can flush what the pass forwarded as one batch per destination.</summary>
    void EndPass();
}
