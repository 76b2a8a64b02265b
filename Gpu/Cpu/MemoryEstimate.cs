namespace NeuroMesh.Engine.Cpu;

/// <summary>An engine's estimated peak memory, in bytes, by what it holds.</summary>
/// <param name="Neurons">Neuron state, input rings and per-neuron construction arrays.</param>
/// <param name="Synapses">Synapse tables at their construction peak, plastic traces and dense blocks.</param>
/// <param name="Stimuli">Stimulus targets and spike-time inputs.</param>
/// <param name="Monitors">State-monitor buffers.</param>
public sealed record MemoryEstimate(long Neurons, long Synapses, long Stimuli, long Monitors)
{
    /// <summary>The sum, saturating at <see cref="long.MaxValue"/>.</summary>
    public long Total
    {
        get
        {
            var total = (double)Neurons + Synapses + Stimuli + Monitors;
            return total >= long.MaxValue ? long.MaxValue : (long)total;
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => $"{Mib(Total)} (neurons {Mib(Neurons)}, synapses {Mib(Synapses)}, stimuli {Mib(Stimuli)}, state monitors {Mib(Monitors)})";

    private static string Mib(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB");
}
