using System.Diagnostics;

namespace NeuroMesh.Tests.Support;

/// <summary>
/// Awaits a condition by polling it until a deadline, never a fixed sleep. A timeout fails the test with what was awaited
/// and the last value observed, so a failure on a slow machine says how far the system got.
/// </summary>
internal static class Eventually
{
    /// <summary>How long a wait lasts when the caller names no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds for its value, and returns that value.</summary>
    /// <param name="read">What is observed (a grain call, a counter, a file); an exception it throws ends the wait.</param>
    /// <param name="done">When the observed value is the awaited one.</param>
    /// <param name="what">What is awaited, for the failure message ("the run to finish").</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException(Message(what, limit, Describe(value)));
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>Reads <paramref name="read"/> (synchronously) until <paramref name="done"/> holds for its value, and returns that value.</summary>
    public static Task<T> Until<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Until(() => Task.FromResult(read()), done, what, timeout);
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds. <paramref name="observe"/> describes the state for the failure
    /// message (the counters the condition reads); without it the message can only say the condition was false.
    /// </summary>
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null, Func<object?>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException(Message(what, limit, observe is null ? "the condition was still false" : Describe(observe())));
            }

            await Task.Delay(Poll);
        }
    }

    private static string Message(string what, TimeSpan limit, string observed)
        => $"timed out after {limit.TotalSeconds:0.#} s waiting until {what}; last observed: {observed}";

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Text.Json.JsonElement json => json.GetRawText(),
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(i => i?.ToString() ?? "null"))}]",
        _ => value.ToString() ?? "null",
    };
}
