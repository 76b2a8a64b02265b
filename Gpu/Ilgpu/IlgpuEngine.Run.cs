using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Network;

namespace NeuroMesh.Engine.Ilgpu;

public sealed partial class IlgpuEngine
{
    private int[] _stepBuffer = [];

    /// <summary>Runs the spec's whole duration from the current tick.</summary>
    public RunResult Run() => Run(_spec.TotalTicks);

    /// <inheritdoc />
    public RunResult Run(long ticks)
    {
        ThrowIfSharded();
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        CheckTickRange(ticks);
        var start = _tick;
        var records = new List<SpikeRecord>();
        var clock = Stopwatch.StartNew();
        List<StateTrace> traces;
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var monitors = PrepareTraces(start, ticks);
            Flush();
            RunTicks(ticks, records, monitors);
            traces = [.. monitors.Select(m => m.ToTrace(_stream))];
            foreach (var m in monitors)
            {
                m.Dispose();
            }
        }

        clock.Stop();
        var array = records.ToArray();
        return new RunResult(start, ticks, Dt, NeuronCount, Threads, array, SpikeTrainHash.Of(array), clock.Elapsed, traces)
        {
            MonitoredSpikes = SpikeMonitors.Select(_spec, array),
        };
    }

    /// <inheritdoc />
    public ReadOnlySpan<int> Step()
    {
        ThrowIfSharded();
        CheckTickRange(1);
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Flush();
            RunWindow(1, _windows[0], []);
            _stream.Synchronize();
            var counts = new int[1];
            var n = DrainWindow(1, counts, ref _stepBuffer);
            _tick++;
            return _stepBuffer.AsSpan(0, n);
        }
    }

    /// <inheritdoc />
    public float[] ReadState(string variable)
    {
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var source = variable switch
            {
                "v" => _neurons.V,
                "ge" => _neurons.Ge,
                "gi" => _neurons.Gi,
                _ => throw new ArgumentException($"unknown state variable '{variable}'; expected v, ge or gi", nameof(variable)),
            };
            Flush();
            var result = new float[NeuronCount];
            if (NeuronCount > 0)
            {
                source.SubView(0, NeuronCount).CopyToCPU(_stream, result);
            }

            _stream.Synchronize();
            return result;
        }
    }

    /// <summary>Runs <paramref name="ticks"/> ticks from the current tick and adds their spikes to <paramref name="records"/> (the caller holds the gate).</summary>
    private void RunTicks(long ticks, List<SpikeRecord> records, MonitorTrace[] monitors)
    {
        var end = _tick + ticks;

        // Double buffering: while the host drains window w's spikes (copied on the second stream into pinned memory),
        // the device already runs window w + 1 into the other buffer.
        var b = 0;
        var n = (int)Math.Min(_window, end - _tick);
        if (n > 0)
        {
            EnqueueWindow(n, _windows[b], _pinned[b], monitors);
        }

        while (n > 0)
        {
            _stream.Synchronize();
            var counts = _pinned[b].Counts!;
            var total = 0;
            for (var w = 0; w < n; w++)
            {
                total += counts[w];
            }

            var windowStart = _tick;
            _tick += n;
            var next = (int)Math.Min(_window, end - _tick);
            if (next > 0)
            {
                EnqueueWindow(next, _windows[1 - b], _pinned[1 - b], monitors);
            }

            var spikes = _pinned[b].Spikes(_host.Accelerator, total);
            if (total > 0)
            {
                _windows[b].Spikes.SubView(0, total).CopyTo(_copyStream, spikes.ArrayView.SubView(0, total));
                _copyStream.Synchronize();
            }

            var at = 0;
            for (var w = 0; w < n; w++)
            {
                for (var s = 0; s < counts[w]; s++)
                {
                    records.Add(new SpikeRecord(windowStart + w, spikes[at++]));
                }
            }

            Debug.Assert(at == total, "the per-tick counts add up to the window's spikes");
            (b, n) = (1 - b, next);
        }
    }

    private void CheckTickRange(long ticks)
    {
        if (_tick + ticks >= int.MaxValue - 65536)
        {
            throw new InvalidOperationException("the engine counts ticks in 31 bits; this run would pass that limit");
        }
    }

    /// <summary>Enqueues window <paramref name="n"/> ticks from the current tick into <paramref name="spikes"/>, then the copy of its per-tick counts into pinned memory.</summary>
    private void EnqueueWindow(int n, SpikeWindowViews spikes, PageLocked pinned, MonitorTrace[] monitors)
    {
        RunWindow(n, spikes, monitors);
        spikes.TickCounts.SubView(0, n).CopyTo(_stream, pinned.CountsFor(_host.Accelerator, _window).ArrayView.SubView(0, n));
    }

    /// <summary>Enqueues <paramref name="n"/> ticks from the current tick (<see cref="_tick"/> plus the ticks enqueued ahead of it); spikes go to <paramref name="spikes"/>.</summary>
    private void RunWindow(int n, SpikeWindowViews spikes, MonitorTrace[] monitors)
    {
        var first = _tick;
        _k.ResetWindow(_stream, 1, spikes);
        for (var w = 0; w < n; w++)
        {
            var t = (int)(first + w);
            var slot = _ring.Offset(0, t - 1);
            if (PoissonActive(t))
            {
                _k.Poisson(_stream, _k.For(_poissonNeurons.Length), _poissonSources, _poissonNeurons, _poissonOwner, _ring.Acc, slot, _ring.ChannelSize, t);
            }

            EnqueueTimed(t, slot);
            if (_hasModulation && NeuronCount > 0)
            {
                _k.Modulate(_stream, _k.For(_hi - _lo), _ring.Acc, _plastic, slot, _ring.ChannelSize, _layout.Scale, _lo, _hi);
            }

            if (NeuronCount > 0)
            {
                EnqueueUpdate(t, slot);
            }

            foreach (var m in monitors)
            {
                m.Sample(_k, _stream, t, _neurons);
            }

            if (NeuronCount > 0)
            {
                _k.Scan(_stream, _fired.View, _position.View, _scanTemp);
            }

            _k.Compact(_stream, _k.For(NeuronCount), _fired.View, _position.View, spikes, w, NeuronCount);
            var tick = spikes.Tick(w);
            if (!_hasRules)
            {
                _k.Propagate(_stream, _propagateConfig, default, tick, _csrViews, _ring, t, _preMinSpikes);
                continue;
            }

            // Plasticity: depression inside propagation, then the pre traces, then reward, potentiation and post traces.
            _k.PropagatePlastic(_stream, _propagateConfig, new PlasticDelivery(_plastic), tick, _csrViews, _ring, t, _preMinSpikes);
            _k.BumpPre(_stream, _k.For(NeuronCount), tick, _plastic, t);
            _k.Post(_stream, _k.For(NeuronCount), _fired.View, _plastic, t, _hasReward && _hasModulation ? 1 : 0, _lo, _hi);
        }
    }

    /// <summary>Whether any Poisson stimulus drives tick <paramref name="t"/> (one launch then serves them all).</summary>
    private bool PoissonActive(int t)
    {
        foreach (var (start, stop) in _poissonTicks)
        {
            if (t >= start && t < stop)
            {
                return true;
            }
        }

        return false;
    }

    private void EnqueueUpdate(int t, int slot)
    {
        if (_models[Kernels.CubaModel.Id])
        {
            _k.Cuba(_stream, _k.For(_hi - _lo), default, _neurons, _ring, _pops, t, slot, _layout.Scale, _lo, _hi);
        }

        if (_models[Kernels.DeltaModel.Id])
        {
            _k.Delta(_stream, _k.For(_hi - _lo), default, _neurons, _ring, _pops, t, slot, _layout.Scale, _lo, _hi);
        }

        if (_models[Kernels.CobaModel.Id])
        {
            _k.Coba(_stream, _k.For(_hi - _lo), default, _neurons, _ring, _pops, t, slot, _layout.Scale, _lo, _hi);
        }
    }

    /// <summary>Spike-time stimuli live on the device, sorted by tick; the host only picks each tick's range.</summary>
    private void EnqueueTimed(int t, int slot)
    {
        if (_timedCursor > 0 && _timedCursor <= _timedTicks.Length && _timedTicks[_timedCursor - 1] >= t)
        {
            _timedCursor = 0;
        }

        while (_timedCursor < _timedTicks.Length && _timedTicks[_timedCursor] < t)
        {
            _timedCursor++;
        }

        var end = _timedCursor;
        while (end < _timedTicks.Length && _timedTicks[end] == t)
        {
            end++;
        }

        if (end > _timedCursor)
        {
            _k.Timed(_stream, _k.For(end - _timedCursor), _timed.SubView(_timedCursor, end - _timedCursor), _ring.Acc, slot);
        }
    }

    /// <summary>Copies the window's per-tick counts, then only its compacted spikes, to the host; returns the spike total.</summary>
    private int DrainWindow(int n, int[] counts, ref int[] spikes)
    {
        _windows[0].TickCounts.SubView(0, n).CopyToCPU(_stream, counts.AsSpan(0, n));
        var total = 0;
        for (var w = 0; w < n; w++)
        {
            total += counts[w];
        }

        if (spikes.Length < total)
        {
            spikes = new int[Math.Max(total, spikes.Length * 2)];
        }

        if (total > 0)
        {
            _windows[0].Spikes.SubView(0, total).CopyToCPU(_stream, spikes.AsSpan(0, total));
        }

        return total;
    }

    private MonitorTrace[] PrepareTraces(long start, long ticks)
    {
        var offsets = _spec.PopulationOffsets();
        return [.. _spec.Monitors.Where(m => m.Kind == MonitorKinds.State).Select(m =>
        {
            var pop = _spec.IndexOfPopulation(m.Population);
            var neurons = (m.Neurons ?? Enumerable.Range(0, _spec.Populations[pop].Size).ToArray()).Select(i => offsets[pop] + i).ToArray();
            var interval = (int)Math.Max(1, Math.Round((m.Interval ?? Dt) / Dt));
            return new MonitorTrace(_host.Accelerator, _stream, m.Name, m.Variable ?? "v", neurons, start, interval, ticks);
        })];
    }
}
