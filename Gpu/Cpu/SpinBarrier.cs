using System.Runtime.InteropServices;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// A sense-reversing barrier for a fixed set of threads that meet once or twice per tick. It spins briefly and
/// then yields, never sleeps: a tick is a few microseconds, far below a kernel wake-up.
/// </summary>
/// <remarks>The last arriver resets the count and then publishes the new sense with a release store; waiters read it with acquire loads.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct SpinBarrier
{
    [FieldOffset(64)] private int _remaining;
    [FieldOffset(128)] private int _sense;
    [FieldOffset(132)] private readonly int _count;
    [FieldOffset(136)] private readonly int _spinLimit;

    public SpinBarrier(int count)
    {
        _count = count;

        // With more threads than cores a waiter usually waits for a descheduled peer: yield almost at once.
        _spinLimit = count <= Environment.ProcessorCount ? 4000 : 20;
        _remaining = count;
        _sense = 0;
    }

    public void SignalAndWait(ref int localSense)
    {
        localSense ^= 1;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _count;
            Volatile.Write(ref _sense, localSense);
            return;
        }

        var spins = 0;
        while (Volatile.Read(ref _sense) != localSense)
        {
            if (++spins < _spinLimit)
            {
                Thread.SpinWait(4);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
