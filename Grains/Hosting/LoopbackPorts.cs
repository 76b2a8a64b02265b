using System.Net;
using System.Net.Sockets;

namespace NeuroMesh.Hosting;

/// <summary>Free TCP ports on 127.0.0.1 for in-process and loopback silos (so they run beside a silo node on the default ports).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// <paramref name="count"/> distinct ports the OS reports free now: all are held open together while they are chosen, so
    /// none is handed out twice. Another process may still take one before it is bound; callers bind at once.
    /// </summary>
    public static int[] Free(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
