namespace NeuroMesh.Hosting;

/// <summary>
/// What a run may ask of a node, checked before its spec deploys (<c>NeuroMesh:Admission</c>): the memory its engine is
/// estimated to need, and the ticks it may run.
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Admission";

    /// <summary>
    /// The most memory, in bytes, one run's engine may be estimated to need (see <c>CpuEngineFootprint</c>). 0 (the
    /// default) means <see cref="MemoryBudgetShare"/> of the memory this process may use.
    /// </summary>
    public long MemoryBudgetBytes { get; set; }

    /// <summary>The share of the process's available memory a run may take when <see cref="MemoryBudgetBytes"/> is 0. Default 0.5.</summary>
    public double MemoryBudgetShare { get; set; } = 0.5;

    /// <summary>
    /// The most ticks one run may have (duration / dt). Default 1,000,000,000 (about 28 simulated hours at dt = 0.1 ms); at
    /// most 2^31 - 1, since the engine counts ticks of stimuli and refractory periods in 32 bits.
    /// </summary>
    public long MaxTicksPerRun { get; set; } = 1_000_000_000;

    /// <summary>The budget in bytes: <see cref="MemoryBudgetBytes"/>, or the share of what the GC may use.</summary>
    public long Budget() => MemoryBudgetBytes > 0
        ? MemoryBudgetBytes
        : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * MemoryBudgetShare);

    /// <summary>The first invalid setting, as a message naming it, or null.</summary>
    public string? Problem() => this switch
    {
        { MemoryBudgetBytes: < 0 } => $"{SectionName}:MemoryBudgetBytes must be 0 (a share of the machine) or more (got {MemoryBudgetBytes}).",
        _ when !(MemoryBudgetShare is > 0 and <= 1) => $"{SectionName}:MemoryBudgetShare must be in (0, 1] (got {MemoryBudgetShare}).",
        { MaxTicksPerRun: < 1 or > int.MaxValue } => $"{SectionName}:MaxTicksPerRun must be in [1, 2147483647] (got {MaxTicksPerRun}).",
        _ => null,
    };
}
