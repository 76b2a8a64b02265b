using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Snapshots;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// Engine snapshots on the device, in <see cref="Cpu.CpuEngine"/>'s format: the same neuron arrays, input rings, traces and
/// plastic synapses in the same order (per target, by source, then by delay and channel: the order both engines' incoming
/// lists have), so a state written by either engine restores onto the other.
/// </summary>
public sealed partial class IlgpuEngine
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A shard still waits for its peers' spikes of its last window.</exception>
    public EngineState ExportState()
    {
        ThrowIfNotSnapshottable();
        int lo = _lo, hi = _hi, n = hi - lo;
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Injected inputs and forced spikes are state the next tick reads: they go to the device first, as CpuEngine
            // holds them in its rings and neurons.
            Flush();
            var v = Download(_neurons.V, NeuronCount);
            var ge = Download(_neurons.Ge, NeuronCount);
            var gi = Download(_neurons.Gi, NeuronCount);
            var refUntil = Download(_neurons.RefUntil, NeuronCount);
            var acc = Download(_ring.Acc, 3L * _ring.ChannelSize);
            var rings = new int[3][];
            for (var c = 0; c < 3; c++)
            {
                rings[c] = new int[_layout.Slots * n];
                for (var k = 0; k < _layout.Slots; k++)
                {
                    Array.Copy(acc, _ring.Offset(c, (int)(_tick - 1 + k)) + lo, rings[c], k * n, n);
                }
            }

            var rules = _hasRules ? ExportTraces() : [];
            var weights = _hasRules ? Download(_plastic.Weight, _csr.Weight.Length) : _csr.Weight;
            var elig = _hasReward ? Download(_plastic.Elig, _csr.Weight.Length) : null;
            var eligTicks = _hasReward ? Download(_plastic.EligTick, _csr.Weight.Length) : null;
            int first = _csr.InStart[lo], count = _csr.InStart[hi] - first;
            var perTarget = new int[n];
            for (var i = lo; i < hi; i++)
            {
                perTarget[i - lo] = _csr.InStart[i + 1] - _csr.InStart[i];
            }

            var state = new EngineState
            {
                Tick = _tick,
                NeuronCount = NeuronCount,
                FixedShift = _layout.FixedShift,
                Lo = lo,
                Hi = hi,
                Slots = _layout.Slots,
                V = v[lo..hi],
                Ge = ge[lo..hi],
                Gi = gi[lo..hi],
                RefUntil = refUntil[lo..hi],
                Rings = rings,
                Rules = rules,
                PlasticPerTarget = perTarget,
                PlasticSource = _csr.InSource[first..(first + count)],
                PlasticWeight = new int[count],
                Eligibility = new float[count],
                EligibilityTick = new int[count],
            };
            for (var e = 0; e < count; e++)
            {
                var syn = _csr.InSyn[first + e];
                state.PlasticWeight[e] = weights[syn];
                state.Eligibility[e] = elig?[syn] ?? 0;
                state.EligibilityTick[e] = eligTicks?[syn] ?? 0;
            }

            return state;
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">This engine has run, or inputs wait for its first tick.</exception>
    /// <exception cref="ArgumentException">The state is of another network: its size, fixed-point scale, rules or plastic synapses differ.</exception>
    public void ImportState(EngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tick != 0 || WindowsRun > 0)
        {
            throw new InvalidOperationException($"a state is restored into a freshly built engine; this one is at tick {_tick}");
        }

        if (_pendingInjections.Count > 0 || _pendingForced.Count > 0)
        {
            throw new InvalidOperationException("a state is restored into a freshly built engine; this one has inputs waiting for its first tick");
        }

        ThrowIfNotSnapshottable();
        state.Validate();
        var rules = _plastic.Rules.IntLength;
        if (!state.IsWhole || state.NeuronCount != NeuronCount || state.FixedShift != _layout.FixedShift || state.Rules.Length != (_hasRules ? rules : 0))
        {
            throw new ArgumentException(
                $"the state (neurons [{state.Lo}, {state.Hi}) of {state.NeuronCount}, fixed-point shift {state.FixedShift}, {state.Rules.Length} plastic rule(s)) " +
                $"is not of this network ({NeuronCount} neurons, shift {_layout.FixedShift}, {(_hasRules ? rules : 0)} rule(s)); a restore needs the whole network's state",
                nameof(state));
        }

        if (state.Tick < 1 || state.Tick >= int.MaxValue - 65536)
        {
            throw new ArgumentException($"a state at tick {state.Tick} cannot be restored (ticks 1 to {int.MaxValue - 65537})", nameof(state));
        }

        // Everything is checked before the device is touched, so a refused state changes nothing.
        var at = CheckPlastic(state);
        var (lo, hi) = (_lo, _hi);
        for (var c = 0; c < 3; c++)
        {
            for (var k = _layout.Slots; k < state.Slots; k++)
            {
                for (var i = lo; i < hi; i++)
                {
                    if (state.Ring(c, k, i) != 0)
                    {
                        throw new ArgumentException($"the state holds input for neuron {i} {k} tick(s) ahead, past this engine's longest delay ({_layout.Slots - 1})", nameof(state));
                    }
                }
            }
        }

        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Patch(_neurons.V, state.V, lo, hi);
            Patch(_neurons.Ge, state.Ge, lo, hi);
            Patch(_neurons.Gi, state.Gi, lo, hi);
            Patch(_neurons.RefUntil, state.RefUntil, lo, hi);
            var acc = new int[3L * _ring.ChannelSize];
            for (var c = 0; c < 3; c++)
            {
                for (var k = 0; k < Math.Min(state.Slots, _layout.Slots); k++)
                {
                    state.Rings[c].AsSpan((k * state.Count) + lo, hi - lo).CopyTo(acc.AsSpan(_ring.Offset(c, (int)(state.Tick - 1 + k)) + lo));
                }
            }

            _ring.Acc.SubView(0, acc.Length).CopyFromCPU(_stream, acc);
            if (_hasRules)
            {
                ImportTraces(state);
                ImportPlastic(state, at);
            }

            _stream.Synchronize();
        }

        _tick = state.Tick;
        _timedCursor = 0;

        // The next weight diff is against the restored weights: the log holds every change before this tick already.
        var restored = DeviceWeights();
        _weightBaseline = [.. _csr.InSyn.Select(k => restored[k])];
    }

    private void ThrowIfNotSnapshottable()
    {
        if (_shard is not null && (!PeersComplete || _remote.Count > 0))
        {
            throw new InvalidOperationException(
                $"the engine's state cannot be captured at tick {_tick}: the shard still waits for the end of window {WindowsRun - 1} from shard(s) {string.Join(", ", MissingPeers())}");
        }
    }

    /// <summary>Per rule, the traces of this engine's neurons (the caller holds the gate).</summary>
    private RuleTraces[] ExportTraces()
    {
        int rules = _plastic.Rules.IntLength, n = NeuronCount;
        var preX = Download(_plastic.PreX, (long)rules * n);
        var preT = Download(_plastic.PreT, (long)rules * n);
        var postY = Download(_plastic.PostY, (long)rules * n);
        var postT = Download(_plastic.PostT, (long)rules * n);
        var traces = new RuleTraces[rules];
        for (var r = 0; r < rules; r++)
        {
            int from = (r * n) + _lo, to = (r * n) + _hi;
            traces[r] = new RuleTraces { PreX = preX[from..to], PreT = preT[from..to], PostY = postY[from..to], PostT = postT[from..to] };

            // The device bumps the post trace of every neuron that fires; only a plastic synapse onto it ever reads it, and
            // CpuEngine keeps it only there. Stored as zero elsewhere, so that both engines write the same state.
            for (var i = _lo; i < _hi; i++)
            {
                if (_csr.InStart[i + 1] == _csr.InStart[i])
                {
                    (traces[r].PostY[i - _lo], traces[r].PostT[i - _lo]) = (0, 0);
                }
            }
        }

        return traces;
    }

    /// <summary>The pre traces of every source, and the post traces of this engine's neurons (the caller holds the gate).</summary>
    private void ImportTraces(EngineState state)
    {
        int rules = _plastic.Rules.IntLength, n = NeuronCount;
        var preX = new float[(long)rules * n];
        var preT = new int[(long)rules * n];
        var postY = new float[(long)rules * n];
        var postT = new int[(long)rules * n];
        for (var r = 0; r < rules; r++)
        {
            var traces = state.Rules[r];
            traces.PreX.CopyTo(preX, r * n);
            traces.PreT.CopyTo(preT, r * n);
            traces.PostY.AsSpan(_lo, _hi - _lo).CopyTo(postY.AsSpan((r * n) + _lo));
            traces.PostT.AsSpan(_lo, _hi - _lo).CopyTo(postT.AsSpan((r * n) + _lo));
        }

        Upload(_plastic.PreX, preX);
        Upload(_plastic.PreT, preT);
        Upload(_plastic.PostY, postY);
        Upload(_plastic.PostT, postT);
    }

    /// <summary>Checks that the state's plastic synapses onto this engine's neurons are this engine's; returns where they start in it.</summary>
    private long CheckPlastic(EngineState state)
    {
        var first = 0L;
        for (var i = 0; i < _lo; i++)
        {
            first += state.PlasticPerTarget[i];
        }

        var at = first;
        for (var i = _lo; i < _hi; i++)
        {
            var count = _csr.InStart[i + 1] - _csr.InStart[i];
            if (count != state.PlasticPerTarget[i])
            {
                throw new ArgumentException($"neuron {i} has {count} plastic synapse(s) here and {state.PlasticPerTarget[i]} in the state: another spec or seed", nameof(state));
            }

            for (var e = 0; e < count; e++, at++)
            {
                var source = _csr.InSource[_csr.InStart[i] + e];
                if (source != state.PlasticSource[at])
                {
                    throw new ArgumentException($"plastic synapse {e} onto neuron {i} comes from neuron {source} here and {state.PlasticSource[at]} in the state: another spec or seed", nameof(state));
                }
            }
        }

        return first;
    }

    /// <summary>Writes the weights and eligibility of the plastic synapses onto this engine's neurons (the caller holds the gate).</summary>
    private void ImportPlastic(EngineState state, long at)
    {
        var length = _csr.Weight.Length;
        var weights = Download(_plastic.Weight, length);
        var elig = _hasReward ? new float[length] : null;
        var eligTicks = _hasReward ? new int[length] : null;
        for (var e = _csr.InStart[_lo]; e < _csr.InStart[_hi]; e++, at++)
        {
            var syn = _csr.InSyn[e];
            weights[syn] = state.PlasticWeight[at];
            if (elig is not null)
            {
                elig[syn] = state.Eligibility[at];
                eligTicks![syn] = state.EligibilityTick[at];
            }
        }

        Upload(_plastic.Weight, weights);
        if (elig is not null)
        {
            Upload(_plastic.Elig, elig);
            Upload(_plastic.EligTick, eligTicks!);
        }
    }

    /// <summary>The first <paramref name="length"/> elements of a device view (the caller holds the gate).</summary>
    private T[] Download<T>(ArrayView<T> view, long length)
        where T : unmanaged
    {
        var host = new T[length];
        if (length > 0)
        {
            view.SubView(0, length).CopyToCPU(_stream, host);
        }

        _stream.Synchronize();
        return host;
    }

    private void Upload<T>(ArrayView<T> view, T[] data)
        where T : unmanaged
    {
        if (data.Length > 0)
        {
            view.SubView(0, data.Length).CopyFromCPU(_stream, data);
        }
    }

    /// <summary>Writes neurons [lo, hi) of a per-neuron view from the state's slice (the caller holds the gate).</summary>
    private void Patch<T>(ArrayView<T> view, T[] slice, int lo, int hi)
        where T : unmanaged
    {
        if (hi > lo)
        {
            view.SubView(lo, hi - lo).CopyFromCPU(_stream, slice.AsSpan(lo, hi - lo));
        }
    }
}
