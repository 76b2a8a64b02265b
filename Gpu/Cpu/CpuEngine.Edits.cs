using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Cpu;

public sealed partial class CpuEngine
{
    private readonly List<Edge> _pendingAdds = [];
    private long _saturated;
    private long _dropped;
    private long _rebuilds;

    /// <inheritdoc />
    public void Inject(int neuron, double weight, SpikeType channel = SpikeType.Excitatory, int delayTicks = 0)
    {
        CheckNeuron(neuron, nameof(neuron));
        if ((uint)delayTicks > (uint)_maxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(delayTicks), $"delay {delayTicks} is outside [0, {_maxDelay}] ticks; raise EngineOptions.MaxDelayTicks");
        }

        if (!double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), "the weight must be a finite number");
        }

        ref var cell = ref _state.Acc[(int)channel][_state.SlotOffset(_tick - 1 + delayTicks) + neuron];
        var sum = cell + (long)Math.Round(weight * _state.ToFixed);
        if (sum is > int.MaxValue or < int.MinValue)
        {
            _saturated++;
            sum = Math.Clamp(sum, int.MinValue, int.MaxValue);
        }

        cell = (int)sum;
    }

    /// <inheritdoc />
    public void ForceSpike(int neuron)
    {
        CheckNeuron(neuron, nameof(neuron));

        // A potential far above any threshold and no refractory period: the neuron fires in the next tick's update
        // and is reset there, by the same code path as any other spike.
        _state.V[neuron] = 1e30f;
        _state.RefUntil[neuron] = int.MinValue;
    }

    /// <inheritdoc />
    public void Deliver(in Spike spike)
    {
        if (spike.Source >= (uint)NeuronCount)
        {
            _dropped++;
            return;
        }

        _pendingDeliveries.Add(spike);
    }

    /// <inheritdoc />
    public void AddSynapse(SynapseDefinition synapse)
    {
        CheckNeuron(synapse.Source, nameof(synapse));
        CheckNeuron(synapse.Target, nameof(synapse));
        if ((uint)synapse.DelayTicks > (uint)_maxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(synapse), $"delay {synapse.DelayTicks} is outside [0, {_maxDelay}] ticks; raise EngineOptions.MaxDelayTicks");
        }

        if (_shard is not null && (synapse.Target < _lo || synapse.Target >= _hi))
        {
            throw new ArgumentException($"neuron {synapse.Target} is not in shard {_shard.Index} [{_lo}, {_hi}); add the synapse on the shard that owns its target", nameof(synapse));
        }

        if (_shard is not null && IsRemote(synapse.Source) && synapse.DelayTicks + 1 < _shard.Plan.WindowTicks)
        {
            throw new ArgumentException(
                $"a synapse from shard {_shard.Plan.ShardOf(synapse.Source)} with delay {synapse.DelayTicks} acts sooner than the window of {_shard.Plan.WindowTicks} ticks; use a delay of at least {_shard.Plan.WindowTicks - 1} ticks",
                nameof(synapse));
        }

        if (!double.IsFinite(synapse.Weight) || synapse.Channel > SpikeType.Modulatory)
        {
            throw new ArgumentOutOfRangeException(nameof(synapse), "the weight must be finite and the channel one of Excitatory, Inhibitory, Modulatory");
        }

        if ((_inBound[synapse.Target] + Math.Abs(synapse.Weight)) * _state.ToFixed >= int.MaxValue)
        {
            throw new InvalidOperationException($"neuron {synapse.Target}'s incoming weights would exceed the fixed-point input range (shift {_state.FixedShift}); use smaller weights");
        }

        _inBound[synapse.Target] += Math.Abs(synapse.Weight);
        ushort filter = 0;
        if (synapse.Filter is not null)
        {
            _filters.Add(synapse.Filter);
            filter = checked((ushort)(_filters.Count - 1));
        }

        _pendingAdds.Add(new Edge
        {
            Source = synapse.Source, Target = synapse.Target, Fixed = _state.Fixed(synapse.Weight), Delay = (ushort)synapse.DelayTicks,
            Channel = (byte)synapse.Channel, Plastic = -1, Filter = filter,
        });
    }

    /// <inheritdoc />
    public int PruneSynapses(int source, int target)
    {
        CheckNeuron(source, nameof(source));
        CheckNeuron(target, nameof(target));
        var removed = _pendingAdds.RemoveAll(e => e.Source == source && e.Target == target);
        var pruned = 0;
        foreach (var part in _parts)
        {
            if (target < part.Lo || target >= part.Hi)
            {
                continue;
            }

            for (var s = part.SegStart[source]; s < part.SegStart[source + 1]; s++)
            {
                for (var k = part.Segs[s].Start; k < part.Segs[s].End; k++)
                {
                    if (part.Targets[k] == target)
                    {
                        // Tombstone: the spare column absorbs the input, so delivery stays branch-free.
                        part.Targets[k] = NeuronCount;
                        part.Weights[k] = 0;
                        pruned++;
                    }
                }
            }
        }

        foreach (var d in _dense)
        {
            if (source >= d.SrcStart && source < d.SrcStart + d.SrcCount && target >= d.TgtStart && target < d.TgtStart + d.TgtCount)
            {
                ref var cell = ref d.W[((source - d.SrcStart) * d.TgtCount) + target - d.TgtStart];
                pruned += cell != 0 ? 1 : 0;
                _removed -= cell != 0 ? 1 : 0;
                cell = 0;
            }
        }

        _removed += pruned;
        return pruned + removed;
    }

    /// <inheritdoc />
    public bool TryGetWeight(int source, int target, out double weight)
    {
        CheckNeuron(source, nameof(source));
        CheckNeuron(target, nameof(target));
        foreach (var part in _parts)
        {
            if (target < part.Lo || target >= part.Hi)
            {
                continue;
            }

            for (var s = part.SegStart[source]; s < part.SegStart[source + 1]; s++)
            {
                for (var k = part.Segs[s].Start; k < part.Segs[s].End; k++)
                {
                    if (part.Targets[k] == target)
                    {
                        weight = part.Weights[k] * (double)_state.Scale;
                        return true;
                    }
                }
            }
        }

        foreach (var e in _pendingAdds)
        {
            if (e.Source == source && e.Target == target)
            {
                weight = e.Fixed * (double)_state.Scale;
                return true;
            }
        }

        weight = 0;
        return false;
    }

    /// <summary>Rebuilds the partitions with the pending additions, dropping pruned synapses. O(synapses); runs before the next tick.</summary>
    private void Rebuild()
    {
        var edges = new List<Edge>(_parts.Sum(p => p.Targets.Length) + _pendingAdds.Count);
        foreach (var part in _parts)
        {
            for (var j = 0; j < NeuronCount; j++)
            {
                for (var s = part.SegStart[j]; s < part.SegStart[j + 1]; s++)
                {
                    var seg = part.Segs[s];
                    for (var k = seg.Start; k < seg.End; k++)
                    {
                        if (part.Targets[k] < NeuronCount)
                        {
                            edges.Add(new Edge
                            {
                                Source = j, Target = part.Targets[k], Fixed = part.Weights[k], Delay = (ushort)seg.Delay, Channel = seg.Channel,
                                Plastic = seg.Plastic, Filter = part.Filters?[k] ?? 0,
                            });
                        }
                    }
                }
            }
        }

        edges.AddRange(_pendingAdds);
        _pendingAdds.Clear();
        _rebuilds++;
        _removed -= _parts.Sum(p => p.Targets.Count(t => t == NeuronCount));
        _parts = PartitionBuilder.Build([.. edges], edges.Count, _bounds, NeuronCount, [.. _rules.Select(r => r.Reward)]);
    }

    private void CheckNeuron(int neuron, string name)
    {
        if ((uint)neuron >= (uint)NeuronCount)
        {
            throw new ArgumentOutOfRangeException(name, $"neuron {neuron} is outside [0, {NeuronCount})");
        }
    }
}
