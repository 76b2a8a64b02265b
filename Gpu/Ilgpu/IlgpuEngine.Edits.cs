using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Ilgpu;

public sealed partial class IlgpuEngine
{
    private const string UseCpu = "is not available on IlgpuEngine (the device kernels do not cover it); use CpuEngine for networks that need it";
    private readonly List<CellInput> _pendingInjections = [];
    private readonly List<int> _pendingForced = [];

    /// <inheritdoc />
    public void Inject(int neuron, double weight, SpikeType channel = SpikeType.Excitatory, int delayTicks = 0)
    {
        CheckNeuron(neuron, nameof(neuron));
        if ((uint)delayTicks > (uint)_maxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(delayTicks), $"delay {delayTicks} is outside [0, {_maxDelay}] ticks; raise IlgpuEngineOptions.MaxDelayTicks");
        }

        if (!double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), "the weight must be a finite number");
        }

        if ((uint)channel > (uint)SpikeType.Modulatory)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), "the channel must be Excitatory, Inhibitory or Modulatory");
        }

        var cell = _ring.Offset((int)channel, (int)(_tick - 1 + delayTicks)) + neuron;
        _pendingInjections.Add(new CellInput(cell, (long)Math.Round(weight * _layout.ToFixed)));
    }

    /// <inheritdoc />
    public void ForceSpike(int neuron)
    {
        CheckNeuron(neuron, nameof(neuron));
        _pendingForced.Add(neuron);
    }

    /// <summary>Not supported: external deliveries need the host-side filters and routing of CpuEngine.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Deliver(in Spike spike) => throw new NotSupportedException($"Deliver {UseCpu}");

    /// <summary>Not supported: the device synapse table is fixed at construction.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void AddSynapse(SynapseDefinition synapse) => throw new NotSupportedException($"AddSynapse {UseCpu}");

    /// <summary>Not supported: the device synapse table is fixed at construction.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public int PruneSynapses(int source, int target) => throw new NotSupportedException($"PruneSynapses {UseCpu}");

    /// <inheritdoc />
    public bool TryGetWeight(int source, int target, out double weight)
    {
        CheckNeuron(source, nameof(source));
        CheckNeuron(target, nameof(target));
        for (var k = _csr.RowStart[source]; k < _csr.RowStart[source + 1]; k++)
        {
            if (_csr.Target[k] == target)
            {
                weight = Weight(k) * (double)_layout.Scale;
                return true;
            }
        }

        weight = 0;
        return false;
    }

    /// <summary>Not supported: hosted neurons need per-delivery records that the device does not keep.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Observe(int neuron, bool observed = true) => throw new NotSupportedException($"Observe {UseCpu}");

    /// <summary>Not supported: a fired spike carries a payload that only CpuEngine routes.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Fire(in Spike spike) => throw new NotSupportedException($"Fire {UseCpu}");

    /// <summary>Always 0: no neuron can be observed on this engine (<see cref="Observe"/> throws).</summary>
    public int DrainObserved(List<ObservedDelivery> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return 0;
    }

    /// <summary>Always 0: no neuron can be observed on this engine (<see cref="Observe"/> throws).</summary>
    public int DrainThresholdCrossings(List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return 0;
    }

    /// <summary>Synapse k's fixed-point weight: the host copy unless plasticity moves it on the device.</summary>
    private int Weight(int k)
    {
        if (!_hasRules || _csr.Rule[k] < 0)
        {
            return _csr.Weight[k];
        }

        var value = new int[1];
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _csrViews.Weight.SubView(k, 1).CopyToCPU(_stream, value);
            _stream.Synchronize();
        }

        return value[0];
    }

    /// <summary>Sends the pending injections and forced spikes to the device (the only host-to-device traffic of a run).</summary>
    private void Flush()
    {
        if (_pendingInjections.Count > 0)
        {
            using var buffer = _host.Accelerator.Allocate1D([.. _pendingInjections]);
            _k.Inject(_stream, 1, buffer.View, _ring.Acc, _counters);
            _stream.Synchronize();
            _pendingInjections.Clear();
        }

        if (_pendingForced.Count > 0)
        {
            using var buffer = _host.Accelerator.Allocate1D([.. _pendingForced]);
            _k.Force(_stream, _k.For(_pendingForced.Count), buffer.View, _neurons);
            _stream.Synchronize();
            _pendingForced.Clear();
        }
    }

    /// <summary>Synapses leaving <paramref name="neuron"/> (for counting synaptic events).</summary>
    internal int OutDegree(int neuron) => _csr.RowStart[neuron + 1] - _csr.RowStart[neuron];

    private void CheckNeuron(int neuron, string name)
    {
        if ((uint)neuron >= (uint)NeuronCount)
        {
            throw new ArgumentOutOfRangeException(name, $"neuron {neuron} is outside [0, {NeuronCount})");
        }
    }
}
