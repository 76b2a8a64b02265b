namespace NeuroMesh.Engine.Snapshots;

/// <summary>
/// Everything the next tick of an engine depends on, for the neurons [<see cref="Lo"/>, <see cref="Hi"/>) at the start of
/// tick <see cref="Tick"/>: membrane and conductances, refractory ends, the input rings (spikes in flight and pending
/// inputs), the plastic synapses onto those neurons (weights and R-STDP eligibility) and the STDP traces of those neurons
/// (as sources and as targets). What the spec and the seed determine (static synapses, stimuli, the counter-based random
/// numbers) is not stored: it is rebuilt from the spec. The state of a whole network is the concatenation of the states of
/// its shards in neuron order (<see cref="Concat"/>), so a snapshot written by N shards restores onto M.
/// </summary>
public sealed class EngineState
{
    /// <summary>The next tick to run.</summary>
    public required long Tick { get; init; }

    /// <summary>Neurons in the network.</summary>
    public required int NeuronCount { get; init; }

    /// <summary>The fixed-point shift of the input rings and weights (one unit is 2^-shift model units).</summary>
    public required int FixedShift { get; init; }

    /// <summary>The first neuron held.</summary>
    public required int Lo { get; init; }

    /// <summary>One past the last neuron held.</summary>
    public required int Hi { get; init; }

    /// <summary>Ticks of input held per neuron: ring entry k is the input that arrives at the end of tick Tick − 1 + k.</summary>
    public required int Slots { get; init; }

    /// <summary>Membrane potentials (mV), per neuron.</summary>
    public required float[] V { get; init; }

    /// <summary>Excitatory conductance or current, per neuron.</summary>
    public required float[] Ge { get; init; }

    /// <summary>Inhibitory conductance or current, per neuron.</summary>
    public required float[] Gi { get; init; }

    /// <summary>The tick up to which each neuron is refractory.</summary>
    public required int[] RefUntil { get; init; }

    /// <summary>Fixed-point input rings per channel (excitatory, inhibitory, modulatory): [k × (Hi − Lo) + (i − Lo)].</summary>
    public required int[][] Rings { get; init; }

    /// <summary>Per plastic rule (in spec order): the traces of the neurons held.</summary>
    public required RuleTraces[] Rules { get; init; }

    /// <summary>Plastic synapses onto each neuron held, in the engine's incoming order.</summary>
    public required int[] PlasticPerTarget { get; init; }

    /// <summary>The source of each plastic synapse (checked on restore: the same spec and seed build the same synapses).</summary>
    public required int[] PlasticSource { get; init; }

    /// <summary>The fixed-point weight of each plastic synapse.</summary>
    public required int[] PlasticWeight { get; init; }

    /// <summary>R-STDP eligibility of each plastic synapse after its last change (0 for STDP).</summary>
    public required float[] Eligibility { get; init; }

    /// <summary>The tick of each plastic synapse's last eligibility change.</summary>
    public required int[] EligibilityTick { get; init; }

    /// <summary>Neurons held.</summary>
    public int Count => Hi - Lo;

    /// <summary>True when the state holds every neuron of the network.</summary>
    public bool IsWhole => Lo == 0 && Hi == NeuronCount;

    /// <summary>Joins the states of adjacent neuron ranges (in order) into one.</summary>
    /// <exception cref="ArgumentException">The parts are empty, not adjacent, or disagree on the tick, the network or the rules.</exception>
    public static EngineState Concat(IReadOnlyList<EngineState> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("no part to join", nameof(parts));
        }

        var first = parts[0];
        for (var p = 1; p < parts.Count; p++)
        {
            var (a, b) = (parts[p - 1], parts[p]);
            if (b.Lo != a.Hi || b.Tick != first.Tick || b.NeuronCount != first.NeuronCount || b.FixedShift != first.FixedShift
                || b.Rules.Length != first.Rules.Length)
            {
                throw new ArgumentException(
                    $"part {p} (neurons [{b.Lo}, {b.Hi}) at tick {b.Tick}) does not follow part {p - 1} (neurons [{a.Lo}, {a.Hi}) at tick {a.Tick}) " +
                    "of the same network, tick and plasticity rules", nameof(parts));
            }
        }

        if (parts.Count == 1)
        {
            return first;
        }

        var slots = parts.Max(p => p.Slots);
        var count = parts[^1].Hi - first.Lo;
        var rings = new int[3][];
        for (var c = 0; c < 3; c++)
        {
            rings[c] = new int[slots * count];
            var at = 0;
            foreach (var part in parts)
            {
                for (var k = 0; k < part.Slots; k++)
                {
                    part.Rings[c].AsSpan(k * part.Count, part.Count).CopyTo(rings[c].AsSpan((k * count) + at));
                }

                at += part.Count;
            }
        }

        return new EngineState
        {
            Tick = first.Tick,
            NeuronCount = first.NeuronCount,
            FixedShift = first.FixedShift,
            Lo = first.Lo,
            Hi = parts[^1].Hi,
            Slots = slots,
            V = [.. parts.SelectMany(p => p.V)],
            Ge = [.. parts.SelectMany(p => p.Ge)],
            Gi = [.. parts.SelectMany(p => p.Gi)],
            RefUntil = [.. parts.SelectMany(p => p.RefUntil)],
            Rings = rings,
            Rules = [.. Enumerable.Range(0, first.Rules.Length).Select(r => RuleTraces.Concat([.. parts.Select(p => p.Rules[r])]))],
            PlasticPerTarget = [.. parts.SelectMany(p => p.PlasticPerTarget)],
            PlasticSource = [.. parts.SelectMany(p => p.PlasticSource)],
            PlasticWeight = [.. parts.SelectMany(p => p.PlasticWeight)],
            Eligibility = [.. parts.SelectMany(p => p.Eligibility)],
            EligibilityTick = [.. parts.SelectMany(p => p.EligibilityTick)],
        };
    }

    /// <summary>The ring entry of channel <paramref name="channel"/>, tick offset <paramref name="k"/> and neuron <paramref name="i"/>.</summary>
    public int Ring(int channel, int k, int i) => k < Slots ? Rings[channel][(k * Count) + i - Lo] : 0;

    /// <summary>Checks that the arrays have the lengths the header says (a decoded file, or a part from another process).</summary>
    /// <exception cref="InvalidDataException">An array has the wrong length.</exception>
    public void Validate()
    {
        var n = Count;
        var plastic = PlasticPerTarget.Sum(c => (long)c);
        if (Lo < 0 || Hi > NeuronCount || n < 0 || Slots < 1 || V.Length != n || Ge.Length != n || Gi.Length != n || RefUntil.Length != n
            || Rings.Length != 3 || Rings.Any(r => r.Length != (long)Slots * n) || PlasticPerTarget.Length != n
            || PlasticSource.Length != plastic || PlasticWeight.Length != plastic || Eligibility.Length != plastic
            || EligibilityTick.Length != plastic || Rules.Any(r => !r.HasLength(n)))
        {
            throw new InvalidDataException($"an engine state of neurons [{Lo}, {Hi}) of {NeuronCount} whose arrays do not match its header");
        }
    }
}
