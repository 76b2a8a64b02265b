namespace NeuroMesh.Tests.Neurons;

/// <summary>Polls a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class ClusterWait
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeoutMs} ms waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }
}
