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
    private long _windows;
    private long _parallelWindows;
    private long _nextProbe;
    private long _probeInterval = 1;
    private bool _parallel = true;
    private long _deliverTick = -1;
    private long _loopStarted;
    private long _probeBudget;
    private double _serialCost = double.NaN;
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

        _deliveries = _pendingDeliveries.Count == 0 ? [] : [.. _pendingDeliveries];
        _pendingDeliveries.Clear();
        _deliverTick = _tick;
        TakeCarried();
        var end = _tick + ticks;
        while (_tick < end)
        {
            if (Threads > 1 && _adaptive && _windows >= _nextProbe && end - _tick >= 2 * ProbeTicks)
            {
                Probe();
                continue;
            }

            var n = Math.Min(Window, end - _tick);
            var parallel = Threads > 1 && (!_adaptive || _parallel);
            var (_, ran) = RunWindow(n, parallel);
            if (parallel && ran < n)
            {
                // This window ran past twice the serial cost (other work took a core): go serial until the next probe.
                _parallel = false;
                _nextProbe = _windows + _probeInterval;
            }
        }

        foreach (var w in _workers)
        {
            if (w.Failure is { } failure)
            {
                foreach (var x in _workers)
                {
                    x.Failure = null;
                }

                throw new InvalidOperationException("a worker failed during the run (see the inner exception)", failure);
            }
        }
    }

    /// <summary>
    /// Runs a short window serially and the next one in parallel, and keeps the faster mode. Both modes run the
    /// same per-partition work (serially in partition order), so the choice never changes a result; it only avoids
    /// paying for barriers when the threads cannot run at once (a small network, or cores shared with other work).
    /// Adjacent windows see the same network activity, so their costs compare fairly. A probe that confirms the
    /// current mode doubles the interval to the next probe (quadruples it after a loss by more than 2x; at most 64 windows).
    /// </summary>
    private void Probe()
    {
        var (serialCost, _) = RunWindow(ProbeTicks, parallel: false);
        _serialCost = serialCost;
        var (parallelCost, _) = RunWindow(ProbeTicks, parallel: true);
        var parallel = parallelCost < serialCost;

        // A decisive loss (a peer thread descheduled by other work) makes the next probe much rarer.
        var decisive = Math.Max(parallelCost, serialCost) > 2 * Math.Min(parallelCost, serialCost);
        _probeInterval = parallel != _parallel ? 2 : Math.Min(64, _probeInterval * (decisive ? 4 : 2));
        _parallel = parallel;
        _nextProbe = _windows + _probeInterval;
    }

    /// <summary>Probe length: long enough that waking the workers is small next to the work (16 ticks for 4000 neurons, 64 from 32,768).</summary>
    private int ProbeTicks => Math.Clamp(NeuronCount / 512, 16, 64);

    /// <summary>
    /// Runs up to <paramref name="n"/> ticks and returns the cost per tick and the ticks run. With adaptive parallelism a
    /// parallel window stops after the first tick that takes it past twice the measured serial cost, so losing to a busy
    /// machine costs little.
    /// </summary>
    private (double Cost, long Ran) RunWindow(long n, bool parallel)
    {
        var started = Stopwatch.GetTimestamp();
        _probeBudget = parallel && _adaptive && !double.IsNaN(_serialCost) ? (long)(2 * _serialCost * n) : 0;
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

        _windows++;
        _parallelWindows += parallel ? 1 : 0;
        var ran = _runTo - _tick;
        _tick = _runTo;
        return ((Stopwatch.GetTimestamp() - (parallel ? _loopStarted : started)) / (double)ran, ran);
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

        // Meet before the first tick, so that a probe times the ticks and not how long the workers took to wake up.
        _barrier.SignalAndWait(ref slot.Sense);
        var deadline = long.MaxValue;
        if (w == 0)
        {
            _loopStarted = Stopwatch.GetTimestamp();
            deadline = _probeBudget > 0 ? _loopStarted + _probeBudget : long.MaxValue;
        }

        for (var t = _runFrom; t < Volatile.Read(ref _runTo); t++)
        {
            try
            {
                PhaseIntegrate(w, (int)t);
            }
            catch (Exception e) when (slot.Failure is null)
            {
                slot.Failure = e;
            }

            if (w == 0 && Stopwatch.GetTimestamp() > deadline)
            {
                // Peers are at most at this tick's barrier, and read _runTo only after it: all stop after this tick.
                Volatile.Write(ref _runTo, t + 1);
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

        if (_observedCount > 0)
        {
            count = SeparateCrossings(me, fired, count, t);
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
