namespace NeuroMesh.Engine.Cpu;

/// <summary>What one worker owns: its fired lists (double-buffered by tick parity), its spike records and its counters.</summary>
internal sealed class WorkerSlot(int range)
{
    public int[][] Fired { get; } = [new int[range], new int[range]];

    public int[] FiredCount { get; } = new int[2];

    public List<long> Records { get; } = new(Math.Max(16, range));

    public List<int> Modulated { get; } = new(16);

    /// <summary>Deliveries onto observed neurons, with the order in which this worker recorded them.</summary>
    public List<ObservedDelivery> Observed { get; } = [];

    /// <summary>Observed neurons of this worker whose membrane crossed the threshold without a carried spike.</summary>
    public List<int> Crossed { get; } = [];

    public long Clipped { get; set; }

    public long Filtered { get; set; }

    public int Sense;

    public SemaphoreSlim Go { get; } = new(0);

    public Exception? Failure { get; set; }
}
