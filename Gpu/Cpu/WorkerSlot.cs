namespace NeuroMesh.Engine.Cpu;

/// <summary>What one worker owns: its fired lists (double-buffered by tick parity), its spike records and its counters.</summary>
internal sealed class WorkerSlot(int range)
{
    public int[][] Fired { get; } = [new int[range], new int[range]];

    public int[] FiredCount { get; } = new int[2];

    public List<long> Records { get; } = new(Math.Max(16, range));

    public List<int> Modulated { get; } = new(16);

    public long Clipped { get; set; }

    public long Filtered { get; set; }

    public int Sense;

    public SemaphoreSlim Go { get; } = new(0);

    public Exception? Failure { get; set; }
}
