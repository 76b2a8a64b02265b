using System.Diagnostics;
using System.Runtime.CompilerServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Cpu;

public sealed partial class CpuEngine
{
    private readonly WorkerSlot[] _workers;
    private readonly List<Spike> _pendingDeliveries = [];
    private Spike[] _deliveries = [];
    private int[] _stepBuffer = [];
    private SpinBarrier _barrier;
    private Thread[] _threads = [];
    private const int Window = 256;
    private const int ProbeWindow = 32;
    private readonly double[] _costPerTick = [double.NaN, double.NaN]; // [serial, parallel], Stopwatch ticks per tick
    private long _windows;
    private long _parallelWindows;
    private long _nextProbe = 8;
    private long _probeInterval = 8;
    private long _deliverTick = -1;
    private long _runFrom;
    private long _runTo;
    private MonitorBuffer[] _traces = [];
    private volatile bool _disposed;

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var w = 1; w < Threads; w++)
        {
            _workers[w].Go.Release();
        }

        foreach (var t in _threads)
        {
            t.Join();
        }
    }

    private void StartWorkers()
    {
        _stepBuffer = new int[NeuronCount];
        _threads = new Thread[Threads - 1];
        for (var w = 1; w < Threads; w++)
        {
            var id = w;
            _threads[w - 1] = new Thread(() => WorkerMain(id)) { IsBackground = true, Name = $"neuromesh-cpu-{id}" };
            _threads[w - 1].Start();
        }
    }

    private void WorkerMain(int w)
    {
        while (true)
        {
            _workers[w].Go.Wait();
            if (_disposed)
            {
                return;
            }

            Loop(w);
        }
    }

    private void RunTicks(long ticks)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pendingAdds.Count > 0)
        {
            Rebuild();
        }

        _deliveries = [.. _pendingDeliveries];
        _pendingDeliveries.Clear();
        _deliverTick = _tick;
        var end = _tick + ticks;
        while (_tick < end)
        {
            var (parallel, probe) = ChooseParallel();
            var n = Math.Min(probe ? ProbeWindow : Window, end - _tick);
            var started = Stopwatch.GetTimestamp();
            _runFrom = _tick;
            _runTo = _tick + n;
            if (parallel)
            {
                for (var w = 1; w < Threads; w++)
                {
                    _workers[w].Go.Release();
                }

                Loop(0);
            }
            else
            {
                RunSerial();
            }

            var cost = (Stopwatch.GetTimestamp() - started) / (double)n;
            var mode = parallel ? 1 : 0;
            var wasFaster = double.IsNaN(_costPerTick[1 - mode]) || cost < _costPerTick[1 - mode];
            _costPerTick[mode] = double.IsNaN(_costPerTick[mode]) ? cost : (0.5 * _costPerTick[mode]) + (0.5 * cost);
            if (probe)
            {
                // A probe that loses again is tried less often (up to every 1024 windows); one that wins resets the interval.
                _probeInterval = wasFaster ? 8 : Math.Min(1024, _probeInterval * 2);
                _nextProbe = _windows + _probeInterval;
            }

            _windows++;
            _parallelWindows += parallel ? 1 : 0;
            _tick = _runTo;
        }

        var failure = _workers.Select(w => w.Failure).FirstOrDefault(f => f is not null);
        if (failure is not null)
        {
            foreach (var w in _workers)
            {
                w.Failure = null;
            }

            throw new InvalidOperationException("a worker failed during the run (see the inner exception)", failure);
        }
    }

    /// <summary>
    /// Parallel or serial for the next window of ticks. Both run the same per-partition work (serially in partition
    /// order), so the choice never changes a result; it only avoids paying for barriers when the threads cannot run at
    /// once (a small network, or a machine shared with other work). The slower mode is re-measured in short probe windows, less often each time it loses again.
    /// </summary>
    private (bool Parallel, bool Probe) ChooseParallel()
    {
        if (Threads == 1)
        {
            return (false, false);
        }

        if (!_adaptive)
        {
            return (true, false);
        }

        if (double.IsNaN(_costPerTick[1]))
        {
            return (true, true);
        }

        if (double.IsNaN(_costPerTick[0]))
        {
            return (false, true);
        }

        var parallelFaster = _costPerTick[1] <= _costPerTick[0];
        return _windows >= _nextProbe ? (!parallelFaster, true) : (parallelFaster, false);
    }

    /// <summary>Runs the window on the calling thread: every partition's integrate phase, then every partition's deliver phase.</summary>
    private void RunSerial()
    {
        for (var t = _runFrom; t < _runTo; t++)
        {
            for (var w = 0; w < Threads; w++)
            {
                PhaseIntegrate(w, (int)t);
            }

            for (var w = 0; w < Threads; w++)
            {
                PhaseDeliver(w, (int)t);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop(int w)
    {
        var slot = _workers[w];
        for (var t = _runFrom; t < _runTo; t++)
        {
            try
            {
                PhaseIntegrate(w, (int)t);
            }
            catch (Exception e) when (slot.Failure is null)
            {
                slot.Failure = e;
            }

            if (Threads > 1)
            {
                _barrier.SignalAndWait(ref slot.Sense);
            }

            try
            {
                PhaseDeliver(w, (int)t);
            }
            catch (Exception e) when (slot.Failure is null)
            {
                slot.Failure = e;
            }
        }

        // Every worker has finished the last tick before the caller reads any result.
        if (Threads > 1)
        {
            _barrier.SignalAndWait(ref slot.Sense);
        }
    }

    /// <summary>Phase 1 (own neurons only): stimuli, modulation, the LIF update and threshold, spike records, state samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PhaseIntegrate(int w, int t)
    {
        int lo = _bounds[w], hi = _bounds[w + 1];
        var slot = _state.SlotOffset(t - 1);
        var me = _workers[w];
        _stimuli.Apply(w, lo, hi, t, slot, _state);
        if (_hasModulation)
        {
            ReadModulation(me, lo, hi, slot);
        }

        var fired = me.Fired[t & 1];
        var count = 0;
        foreach (var k in _kernels)
        {
            int a = Math.Max(lo, k.Start), b = Math.Min(hi, k.End);
            if (a < b)
            {
                count = k.Update(_state, a, b, t, slot, fired, count);
            }
        }

        me.FiredCount[t & 1] = count;
        for (var i = 0; i < count; i++)
        {
            me.Records.Add(((long)t << 32) | (uint)fired[i]);
        }

        foreach (var m in _traces)
        {
            m.Sample(t, lo, hi, _state);
        }
    }

    private void ReadModulation(WorkerSlot me, int lo, int hi, int slot)
    {
        me.Modulated.Clear();
        var acc = _state.Acc[2];
        for (var i = lo; i < hi; i++)
        {
            var m = acc[slot + i];
            _state.Modulation[i] = m * _state.Scale;
            if (m != 0)
            {
                acc[slot + i] = 0;
                me.Modulated.Add(i);
            }
        }
    }

    /// <summary>Phase 2 (synapses onto own neurons only): route every spike of the tick, then apply plasticity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PhaseDeliver(int w, int t)
    {
        var part = _parts[w];
        int lo = _bounds[w], hi = _bounds[w + 1];
        var parity = t & 1;
        foreach (var u in _workers)
        {
            var fired = u.Fired[parity];
            for (var f = 0; f < u.FiredCount[parity]; f++)
            {
                DeliverRow(w, part, fired[f], t, in Unsafe.NullRef<Spike>(), isExternal: false);
                foreach (var d in _dense)
                {
                    d.Deliver(fired[f], lo, hi, _state.Acc[d.Channel], _state.SlotOffset(t + d.Delay));
                }
            }
        }

        if (t == _deliverTick)
        {
            foreach (ref readonly var spike in _deliveries.AsSpan())
            {
                DeliverRow(w, part, (int)spike.Source, t, in spike, isExternal: true);
            }
        }

        if (_rules.Length > 0)
        {
            ApplyPlasticity(w, part, t);
        }
    }
}
