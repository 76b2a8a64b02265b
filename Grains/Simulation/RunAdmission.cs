using NeuroMesh.Engine.Cpu;
using NeuroMesh.Hosting;
using NeuroMesh.Network;

namespace NeuroMesh.Simulation;

/// <summary>
/// Whether a valid spec may run on this node: its ticks within <see cref="AdmissionOptions.MaxTicksPerRun"/>, and its
/// engine's estimated peak memory (<see cref="CpuEngineFootprint"/>) within the budget. A spec that asks for more is
/// refused before anything is logged or allocated, instead of failing the first step with an out-of-memory error.
/// </summary>
internal static class RunAdmission
{
    /// <summary>Throws an <see cref="ArgumentException"/> (its parameter name the JSON path) when <paramref name="spec"/> asks too much.</summary>
    public static void Check(NetworkSpec spec, AdmissionOptions options, int engineThreads)
    {
        if (spec.TotalTicks > options.MaxTicksPerRun)
        {
            throw new ArgumentException(
                $"the run would have {(spec.Duration / spec.Dt):G4} ticks (duration {spec.Duration} ms / dt {spec.Dt} ms), more than {AdmissionOptions.SectionName}:MaxTicksPerRun ({options.MaxTicksPerRun}) allows",
                "$.duration");
        }

        var threads = engineThreads > 0 ? engineThreads : Environment.ProcessorCount;
        var estimate = CpuEngineFootprint.Estimate(spec, threads);
        var budget = options.Budget();
        if (estimate.Total > budget)
        {
            throw new ArgumentException(
                $"the network's engine needs an estimated {estimate.Total} bytes, {estimate}, more than this node's memory budget of {budget} bytes ({AdmissionOptions.SectionName}:MemoryBudgetBytes, or MemoryBudgetShare of the machine's memory when that is 0); make the network smaller or raise the budget",
                "$");
        }
    }
}
