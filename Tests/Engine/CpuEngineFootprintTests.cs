using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>
/// The admission estimate is the engine's own arrays: building the engine allocates at least the estimated peak (every
/// estimated array is allocated), and what the built engine keeps is no more than the estimate. The managed heap is the
/// whole process's, so these tests run alone: another test allocating meanwhile would count as the engine's.
/// </summary>
[Trait("Tier", "Unit")]
[Collection(MemoryMeasurementCollection.Name)]
public class CpuEngineFootprintTests
{
    [Theory]
    [InlineData("delta_delays.json")]
    [InlineData("cuba.json")]
    [InlineData("brunel.json")]
    public void The_estimate_lies_between_what_the_engine_keeps_and_what_building_it_allocates(string example)
    {
        var spec = NetworkSpec.Load(Path.Combine(ExamplesDirectory.Root(), "examples", example));
        var estimate = CpuEngineFootprint.Estimate(spec, threads: 2);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heldBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 2 });
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var held = GC.GetTotalMemory(forceFullCollection: true) - heldBefore;
        GC.KeepAlive(engine);

        Assert.True(estimate.Total <= allocated, $"{example}: estimated {estimate.Total} B, but building allocated only {allocated} B");
        Assert.True(held <= estimate.Total, $"{example}: the engine holds {held} B, more than the estimated {estimate.Total} B");
    }

    [Fact]
    public void The_estimate_grows_with_neurons_and_synapses_by_rule()
    {
        var spec = NetworkSpec.Load(Path.Combine(ExamplesDirectory.Root(), "examples", "delta_delays.json"));
        var baseline = CpuEngineFootprint.Estimate(spec, 2);
        var bigger = spec with { Populations = [spec.Populations[0] with { Size = 8000 }, spec.Populations[1]] };
        var grown = CpuEngineFootprint.Estimate(bigger, 2);
        Assert.True(grown.Neurons > 5 * baseline.Neurons);

        // fixed_in_degree grows with the target population: E_all_E and I_all_E both target E (80 + 20 sources each).
        Assert.True(grown.Synapses > 5 * baseline.Synapses);
        var allToAll = spec with { Projections = [spec.Projections[0] with { Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.AllToAll } }] };
        Assert.True(CpuEngineFootprint.Estimate(allToAll, 2).Synapses > baseline.Synapses * 5);
    }
}

/// <summary>Tests that measure the process's managed heap run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "memory measurement";
}
