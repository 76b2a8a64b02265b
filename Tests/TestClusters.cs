using Orleans.TestingHost;

namespace NeuroMesh.Tests;

/// <summary>What every test cluster fixture does at the end.</summary>
internal static class TestClusters
{
    /// <summary>Stops and disposes <paramref name="cluster"/>, then deletes its SQLite delta-log files (the database and its -wal/-shm) matching <paramref name="databasePattern"/> in the temp folder.</summary>
    public static async Task StopAndDeleteAsync(TestCluster cluster, string databasePattern)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), databasePattern))
        {
            File.Delete(file);
        }
    }
}
