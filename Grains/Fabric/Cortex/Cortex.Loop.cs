using NeuroMesh.Agents;

namespace NeuroMesh.Fabric;

/// <summary>Free-running mode: a loop thread that runs passes while there is work and waits when there is none.</summary>
public sealed partial class Cortex
{
    private const int SpinsBeforePark = 100;

    private Thread? _loop;
    private bool _stopping;
    private Exception? _loopError;

    /// <summary>
    /// Starts the free-running loop. It runs a pass whenever spikes or input wait, and otherwise waits with
    /// <see cref="CortexOptions.WaitStrategy"/> (a neuron firing or new input wakes it). With ticking behaviours
    /// present, an idle mesh still runs a pass every <see cref="CortexOptions.IdleTickInterval"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop already runs, or the call comes from inside a behaviour callback.</exception>
    public void Start()
    {
        lock (_passLock)
        {
            ThrowIfDisposed();
            if (_inPass || _loop is not null)
            {
                throw new InvalidOperationException(_inPass ? "Start cannot be called from inside a behaviour callback." : "The mesh is already free-running.");
            }

            Volatile.Write(ref _stopping, false);
            _loopError = null;
            var thread = new Thread(RunLoop) { IsBackground = true, Name = "NeuroMesh.Cortex" };
            Volatile.Write(ref _loop, thread);
            thread.Start();
        }
    }

    /// <summary>Stops the free-running loop after its current pass; spikes still waiting stay for the next Step or Start.</summary>
    /// <exception cref="InvalidOperationException">Called from inside a behaviour callback, or the loop had failed (the inner exception says why).</exception>
    public void Stop()
    {
        var thread = Volatile.Read(ref _loop);
        if (thread is null)
        {
            return;
        }

        if (Thread.CurrentThread == thread)
        {
            throw new InvalidOperationException("Stop cannot be called from inside a behaviour callback.");
        }

        Volatile.Write(ref _stopping, true);
        _doorbell.Ring();
        thread.Join();
        Volatile.Write(ref _loop, null);
        if (_loopError is { } error)
        {
            _loopError = null;
            throw new InvalidOperationException("The agent mesh's free-running loop failed.", error);
        }
    }

    /// <summary>
    /// Waits until no spike or input is waiting between passes (free-running), or reports whether that is so now (ticked).
    /// </summary>
    /// <returns>True when idle; false when <paramref name="timeout"/> passed first or the loop stopped with work left.</returns>
    public bool WaitForIdle(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var spinner = default(SpinWait);
        while (true)
        {
            lock (_passLock)
            {
                if (!HasWork())
                {
                    return true;
                }
            }

            if (!IsRunning || DateTime.UtcNow >= deadline)
            {
                return false;
            }

            spinner.SpinOnce();
        }
    }

    private bool HasWorkOrStopping() => Volatile.Read(ref _stopping) || HasWork();

    private void RunLoop()
    {
        var spinner = default(SpinWait);
        var idle = 0;
        var tickIntervalMs = (int)Math.Max(1, _options.IdleTickInterval.TotalMilliseconds);
        try
        {
            while (!Volatile.Read(ref _stopping))
            {
                if (HasWork() || (Volatile.Read(ref _hasTicking) && idle > 0))
                {
                    lock (_passLock)
                    {
                        StepCore();
                    }

                    idle = 0;
                    continue;
                }

                if (Volatile.Read(ref _hasTicking))
                {
                    // Ticking behaviours need time to pass even when no spike moves: wait at most one tick interval.
                    _doorbell.Park(HasWorkOrStopping, tickIntervalMs);
                    idle = 1;
                    continue;
                }

                switch (_options.WaitStrategy)
                {
                    case WaitStrategy.BusySpin:
                        Thread.SpinWait(1);
                        break;
                    case WaitStrategy.SpinWait:
                        spinner.SpinOnce(sleep1Threshold: -1);
                        break;
                    default:
                        if (++idle < SpinsBeforePark)
                        {
                            spinner.SpinOnce(sleep1Threshold: -1);
                        }
                        else
                        {
                            _doorbell.Park(HasWorkOrStopping, Timeout.Infinite);
                            idle = 0;
                        }

                        break;
                }
            }
        }
        catch (Exception e)
        {
            _loopError = e;
        }
    }
}
