namespace NeuroMesh.Tests.Cluster;

/// <summary>Awaits a condition by polling it until a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}{(state is null ? string.Empty : $"; state: {state()}")}");
            }

            await Task.Delay(10);
        }
    }
}
