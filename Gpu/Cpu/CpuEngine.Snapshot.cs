using NeuroMesh.Engine.Snapshots;

namespace NeuroMesh.Engine.Cpu;

/// <summary>Engine snapshots: the state of this engine's neurons at a tick boundary, out and back in.</summary>
public sealed partial class CpuEngine
{
    /// <summary>
    /// Copies the state of this engine's neurons (all of them, or its shard's) as it stands before <see cref="CurrentTick"/>.
    /// A shard must have applied every peer's spikes of its last window first.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The state cannot be captured whole: synapse edits changed the network away from its spec, inputs or deliveries
    /// wait for the next tick, neurons are hosted by behaviours, or a shard still waits for its peers' spikes.
    /// </exception>
    public EngineState ExportState() => CaptureState()();

    /// <summary>
    /// The stall half of <see cref="ExportState"/>: copies what the next ticks change (neurons, rings, traces, and the
    /// weight and eligibility arrays of the partitions with plastic synapses, whole and contiguous) and returns the rest,
    /// which gathers the plastic synapses into the state's order from those copies, for the caller to run off the tick loop.
    /// </summary>
    /// <exception cref="InvalidOperationException">As <see cref="ExportState"/>.</exception>
    public Func<EngineState> CaptureState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfNotSnapshottable();
        var n = _hi - _lo;
        var rings = new int[3][];
        for (var c = 0; c < 3; c++)
        {
            rings[c] = new int[_state.Slots * n];
            for (var k = 0; k < _state.Slots; k++)
            {
                Array.Copy(_state.Acc[c], _state.SlotOffset(_tick - 1 + k) + _lo, rings[c], k * n, n);
            }
        }

        // The incoming lists are fixed while the network is its spec's (edits refuse snapshots), so only the values are copied.
        var plastic = _parts.Where(p => p.In is not null && p.InStart is not null)
            .Select(p => (p.Lo, p.Hi, In: p.In!, InStart: p.InStart!, Weights: (int[])p.Weights.Clone(), Elig: (float[]?)p.Elig?.Clone(), EligTick: (int[]?)p.EligTick?.Clone()))
            .ToArray();
        var rules = _rules.Select(r => new RuleTraces { PreX = r.PreX[0][_lo.._hi], PreT = r.PreT[0][_lo.._hi], PostY = r.PostY[_lo.._hi], PostT = r.PostT[_lo.._hi] }).ToArray();
        var (tick, neurons, shift, lo, hi, slots) = (_tick, NeuronCount, _state.FixedShift, _lo, _hi, _state.Slots);
        var (v, ge, gi, refUntil) = (_state.V[_lo.._hi], _state.Ge[_lo.._hi], _state.Gi[_lo.._hi], _state.RefUntil[_lo.._hi]);
        return () =>
        {
            var perTarget = new int[n];
            var total = 0L;
            foreach (var part in plastic)
            {
                for (var i = part.Lo; i < part.Hi; i++)
                {
                    perTarget[i - lo] = part.InStart[i - part.Lo + 1] - part.InStart[i - part.Lo];
                    total += perTarget[i - lo];
                }
            }

            var (sources, weights, elig, eligTicks) = (new int[total], new int[total], new float[total], new int[total]);
            var at = 0;
            foreach (var part in plastic)
            {
                for (var e = part.InStart[0]; e < part.InStart[part.Hi - part.Lo]; e++, at++)
                {
                    var syn = part.In[e].Syn;
                    sources[at] = part.In[e].Source;
                    weights[at] = part.Weights[syn];
                    elig[at] = part.Elig?[syn] ?? 0;
                    eligTicks[at] = part.EligTick?[syn] ?? 0;
                }
            }

            // A post trace is read only through a plastic synapse onto its neuron, and an engine (or a shard) whose part holds
            // none does not keep it up: stored as zero there, so that every placement writes the same state.
            for (var i = 0; i < n; i++)
            {
                if (perTarget[i] == 0)
                {
                    foreach (var r in rules)
                    {
                        (r.PostY[i], r.PostT[i]) = (0, 0);
                    }
                }
            }

            return new EngineState
            {
                Tick = tick,
                NeuronCount = neurons,
                FixedShift = shift,
                Lo = lo,
                Hi = hi,
                Slots = slots,
                V = v,
                Ge = ge,
                Gi = gi,
                RefUntil = refUntil,
                Rings = rings,
                Rules = rules,
                PlasticPerTarget = perTarget,
                PlasticSource = sources,
                PlasticWeight = weights,
                Eligibility = elig,
                EligibilityTick = eligTicks,
            };
        };
    }

    /// <summary>
    /// Puts this engine, freshly built from the same spec and seed and not yet run, at the tick and state of
    /// <paramref name="state"/>, which must hold the whole network (a shard takes its neurons from it, and the presynaptic
    /// traces of every source). The next ticks then give the spikes and weights the engine that wrote it would have.
    /// </summary>
    /// <exception cref="InvalidOperationException">This engine has run or been edited, or cannot hold the state (see <see cref="ExportState"/>).</exception>
    /// <exception cref="ArgumentException">The state is of another network: its size, fixed-point scale, rules or plastic synapses differ.</exception>
    public void ImportState(EngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tick != 0 || WindowsRun > 0)
        {
            throw new InvalidOperationException($"a state is restored into a freshly built engine; this one is at tick {_tick}");
        }

        ThrowIfNotSnapshottable();
        state.Validate();
        if (!state.IsWhole || state.NeuronCount != NeuronCount || state.FixedShift != _state.FixedShift || state.Rules.Length != _rules.Length)
        {
            throw new ArgumentException(
                $"the state (neurons [{state.Lo}, {state.Hi}) of {state.NeuronCount}, fixed-point shift {state.FixedShift}, {state.Rules.Length} plastic rule(s)) " +
                $"is not of this network ({NeuronCount} neurons, shift {_state.FixedShift}, {_rules.Length} rule(s)); a restore needs the whole network's state",
                nameof(state));
        }

        if (state.Tick < 1 || state.Tick >= int.MaxValue - 65536)
        {
            throw new ArgumentException($"a state at tick {state.Tick} cannot be restored (ticks 1 to {int.MaxValue - 65537})", nameof(state));
        }

        RestorePlastic(state);
        var (lo, hi) = (_lo, _hi);
        state.V.AsSpan(lo, hi - lo).CopyTo(_state.V.AsSpan(lo));
        state.Ge.AsSpan(lo, hi - lo).CopyTo(_state.Ge.AsSpan(lo));
        state.Gi.AsSpan(lo, hi - lo).CopyTo(_state.Gi.AsSpan(lo));
        state.RefUntil.AsSpan(lo, hi - lo).CopyTo(_state.RefUntil.AsSpan(lo));
        _tick = state.Tick;
        for (var c = 0; c < 3; c++)
        {
            Array.Clear(_state.Acc[c]);
            for (var k = 0; k < state.Slots; k++)
            {
                if (k >= _state.Slots)
                {
                    for (var i = lo; i < hi; i++)
                    {
                        if (state.Ring(c, k, i) != 0)
                        {
                            throw new ArgumentException($"the state holds input for neuron {i} {k} tick(s) ahead, past this engine's longest delay ({_state.Slots - 1})", nameof(state));
                        }
                    }

                    continue;
                }

                state.Rings[c].AsSpan((k * state.Count) + lo, hi - lo).CopyTo(_state.Acc[c].AsSpan(_state.SlotOffset(_tick - 1 + k) + lo));
            }
        }

        for (var r = 0; r < _rules.Length; r++)
        {
            var traces = state.Rules[r];
            foreach (var pre in _rules[r].PreX)
            {
                traces.PreX.CopyTo(pre, 0);
            }

            foreach (var pre in _rules[r].PreT)
            {
                traces.PreT.CopyTo(pre, 0);
            }

            traces.PostY.AsSpan(lo, hi - lo).CopyTo(_rules[r].PostY.AsSpan(lo));
            traces.PostT.AsSpan(lo, hi - lo).CopyTo(_rules[r].PostT.AsSpan(lo));
        }

        // The next weight diff is against the restored weights: the log holds every change before this tick already.
        CaptureWeightBaseline();
    }

    /// <summary>Writes the plastic synapses of this engine's neurons from the state, after checking they are the same synapses.</summary>
    private void RestorePlastic(EngineState state)
    {
        // Offsets of each target's plastic synapses in the state's flat arrays.
        var at = 0L;
        for (var i = 0; i < _lo; i++)
        {
            at += state.PlasticPerTarget[i];
        }

        var checkedAt = at;
        foreach (var pass in new[] { false, true })
        {
            at = checkedAt;
            foreach (var part in _parts)
            {
                for (var i = part.Lo; i < part.Hi; i++)
                {
                    var count = part.In is null || part.InStart is null ? 0 : part.InStart[i - part.Lo + 1] - part.InStart[i - part.Lo];
                    if (count != state.PlasticPerTarget[i])
                    {
                        throw new ArgumentException($"neuron {i} has {count} plastic synapse(s) here and {state.PlasticPerTarget[i]} in the state: another spec or seed", nameof(state));
                    }

                    for (var e = 0; e < count; e++, at++)
                    {
                        var entry = part.In![part.InStart![i - part.Lo] + e];
                        if (!pass && entry.Source != state.PlasticSource[at])
                        {
                            throw new ArgumentException($"plastic synapse {e} onto neuron {i} comes from neuron {entry.Source} here and {state.PlasticSource[at]} in the state: another spec or seed", nameof(state));
                        }

                        if (pass)
                        {
                            part.Weights[entry.Syn] = state.PlasticWeight[at];
                            if (part.Elig is not null)
                            {
                                part.Elig[entry.Syn] = state.Eligibility[at];
                                part.EligTick![entry.Syn] = state.EligibilityTick[at];
                            }
                        }
                    }
                }
            }
        }
    }

    private void ThrowIfNotSnapshottable()
    {
        var why = _removed != 0 || _rebuilds > 0 || _pendingAdds.Count > 0 ? "synapses were added or pruned, so the network is no longer the one its spec builds"
            : _pendingDeliveries.Count > 0 || _carriedNext.Count > 0 ? "spikes wait to be delivered in the next tick"
            : _observedCount > 0 ? "neurons are hosted by behaviours, whose state is not the engine's"
            : _shard is not null && (!PeersComplete || _remote.Count > 0) ? $"the shard still waits for the end of window {WindowsRun - 1} from shard(s) {string.Join(", ", MissingPeers())}"
            : null;
        if (why is not null)
        {
            throw new InvalidOperationException($"the engine's state cannot be captured at tick {_tick}: {why}");
        }
    }
}
