using System.Text.Json;

namespace NeuroMesh.Network;

/// <summary>
/// A declarative spiking network: time step, duration, seed, populations, projections, stimuli and monitors.
/// Times are in milliseconds, potentials in millivolts, rates in hertz.
/// </summary>
/// <remarks>Parse JSON with <see cref="Parse"/>, which validates with <see cref="NetworkSpecValidator"/>.</remarks>
public sealed record class NetworkSpec
{
    /// <summary>Free text describing the network.</summary>
    public string? Description { get; init; }

    /// <summary>The integration time step in ms (for example 0.1).</summary>
    public double Dt { get; init; } = 0.1;

    /// <summary>The simulated duration in ms.</summary>
    public double Duration { get; init; } = 1000;

    /// <summary>The seed of every random draw (connectivity, initial values, Poisson inputs).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The neuron populations; neuron ids are assigned in this order, starting at 0.</summary>
    public List<PopulationSpec> Populations { get; init; } = [];

    /// <summary>The synaptic projections between populations.</summary>
    public List<ProjectionSpec> Projections { get; init; } = [];

    /// <summary>The external inputs (Poisson generators, spike-time arrays).</summary>
    public List<StimulusSpec> Stimuli { get; init; } = [];

    /// <summary>What to record.</summary>
    public List<MonitorSpec> Monitors { get; init; } = [];

    /// <summary>An optional supervision tree over the network's neurons, populations and regions (absent: none).</summary>
    public SupervisionSpec? Supervision { get; init; }

    /// <summary>The number of ticks in <see cref="Duration"/>.</summary>
    public long TotalTicks => (long)Math.Round(Duration / Dt);

    /// <summary>Parses and validates a spec.</summary>
    /// <exception cref="NetworkSpecException">The JSON is malformed or the spec is invalid; the message gives the JSON path and reason of every problem.</exception>
    public static NetworkSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        NetworkSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<NetworkSpec>(json, NetworkSpecJson.Options);
        }
        catch (JsonException e)
        {
            throw new NetworkSpecException([new SpecError(e.Path ?? "$", JsonErrors.Describe(e))]);
        }

        if (spec is null)
        {
            throw new NetworkSpecException([new SpecError("$", "the document is null; expected a network object")]);
        }

        NetworkSpecValidator.ThrowIfInvalid(spec);
        return spec;
    }

    /// <summary>Reads, parses and validates a spec file.</summary>
    /// <exception cref="NetworkSpecException">The spec is invalid.</exception>
    public static NetworkSpec Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Writes the spec as indented JSON that <see cref="Parse"/> reads back to an equal spec.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, NetworkSpecJson.Options);

    /// <summary>
    /// The populations that receive reward-modulated (R-STDP) synapses, with their global neuron ranges
    /// [<c>First</c>, <c>End</c>), in population order. A modulatory input (a reward) to one of their neurons scales the
    /// eligibility of that neuron's incoming R-STDP synapses; to any other neuron it would change nothing.
    /// </summary>
    public IReadOnlyList<(string Population, int First, int End)> RewardTargets()
    {
        var targets = Projections.Where(p => p.Plasticity?.Kind == PlasticityKinds.RStdp).Select(p => p.Target).ToHashSet(StringComparer.Ordinal);
        var offsets = PopulationOffsets();
        return [.. Populations.Select((p, i) => (p.Name, offsets[i], offsets[i] + p.Size)).Where(p => targets.Contains(p.Name))];
    }

    /// <summary>The index of the first neuron of each population, in population order.</summary>
    public int[] PopulationOffsets()
    {
        var offsets = new int[Populations.Count];
        var next = 0;
        for (var i = 0; i < Populations.Count; i++)
        {
            offsets[i] = next;
            next += Populations[i].Size;
        }

        return offsets;
    }

    /// <summary>The total number of neurons.</summary>
    public int NeuronCount => Populations.Sum(p => p.Size);

    /// <summary>The index of the population with this name, or -1.</summary>
    public int IndexOfPopulation(string name) => Populations.FindIndex(p => p.Name == name);

    /// <summary>
    /// This network with every population's size multiplied by <paramref name="fraction"/> (rounded, at least one neuron).
    /// Rules that fix in- or out-degrees keep them, so a network specified by degrees keeps its input per neuron: the usual
    /// way to run a large model (the cortical microcircuit) smaller. Monitors that name neurons past the new sizes make
    /// the result invalid, which validation reports.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not a positive finite number.</exception>
    public NetworkSpec WithPopulationsScaled(double fraction)
    {
        if (!(fraction > 0) || !double.IsFinite(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the scale must be a positive finite number");
        }

        return this with { Populations = [.. Populations.Select(p => p with { Size = (int)Math.Max(1, Math.Round(p.Size * fraction)) })] };
    }
}
