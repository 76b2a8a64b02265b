using System.Diagnostics;
using NeuroMesh.Agents;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Fabric;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// The agents suite's capacity cases: how many agents one silo's mesh hosts, the fabric memory each idle one holds, and
/// the time to host (bind) and release them, on the silo's default fabric (Moderate tier, NeuroMesh:Fabric:MaxAgents
/// 100,000), against the fixed full-size ring per agent that the same tier gave before (its peer, leased in the same run).
/// Every round checks the fabric's accounting: all ring bytes come back.
/// </summary>
internal static class CapacityCases
{
    public const string HostedCase = "hosted agents per silo";
    public const string BytesCase = "fabric bytes per idle agent";
    public const string ManagedCase = "managed bytes per idle agent";
    public const string HostCase = "host (activate + bind) time";
    public const string LeaveCase = "leave (deactivate) time";
    public const string Growable = "growable rings (ring pool)";
    public const string FixedRings = "fixed 2,048-slot ring per agent";

    public static void Run(BenchmarkReport report, SuiteOptions options)
    {
        var options2 = new FabricOptions { Tier = FabricTier.Moderate };
        var agents = options2.MaxAgents;
        var rounds = options.Quick ? 2 : 3;
        Console.Error.WriteLine($"agents/capacity: {agents:N0} agents hosted and released {rounds} times on a Moderate fabric");

        // The peer: full-size rings, one per agent, on the same tier preset (what each hosted neuron leased before).
        using (var fixedFabric = new SpikeFabric(FabricLayout.ForTier(FabricTier.Moderate)))
        {
            var rings = new List<Axon>();
            try
            {
                while (true)
                {
                    rings.Add(fixedFabric.LeaseAxon(OverflowPolicy.Block));
                }
            }
            catch (FabricFullException)
            {
            }

            report.Add(HostedCase, FixedRings, rings.Count, "agents");
            report.Add(BytesCase, FixedRings, fixedFabric.LeasedRingBytes / (double)rings.Count, "bytes");
            rings.ForEach(r => r.Dispose());
        }

        using var fabric = new SpikeFabric(options2.ToLayout());
        using var mesh = new SiloAgentMesh(fabric, agents);
        var hostSeconds = new List<double>();
        var leaveSeconds = new List<double>();
        var perAgentBytes = 0.0;
        var managedPerAgent = 0.0;
        var hosted = 0;
        for (var round = 0; round < rounds; round++)
        {
            var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            for (uint id = 0; id < agents; id++)
            {
                // Pairs: each even agent relays to the odd one after it.
                mesh.Host(id, new RelayBehaviour(), 0, id % 2 == 0 ? [id + 1] : []);
            }

            hostSeconds.Add(watch.Elapsed.TotalSeconds);
            hosted = mesh.HostedCount;
            perAgentBytes = fabric.LeasedRingBytes / (double)hosted;
            managedPerAgent = (GC.GetTotalMemory(forceFullCollection: true) - managedBefore) / (double)hosted;
            var refused = Assert(() => mesh.Host((uint)agents, new RelayBehaviour(), 0, []));

            // Traffic through the hosted mesh: 1,000 even agents stimulated, each spike delivered to its odd partner.
            var before = mesh.Cortex.Counters;
            for (uint id = 0; id < 2000; id += 2)
            {
                mesh.Cortex.Stimulate(id);
            }

            if (!mesh.Cortex.WaitForIdle(TimeSpan.FromMinutes(2)))
            {
                throw new InvalidOperationException("capacity: the mesh with 100,000 agents did not settle.");
            }

            var after = mesh.Cortex.Counters;
            if (after.Deliveries - before.Deliveries != 1000 || after.Faults != 0 || !refused)
            {
                throw new InvalidOperationException($"capacity: accounting is off ({after.Deliveries - before.Deliveries} deliveries of 1,000, {after.Faults} faults, refusal at the limit: {refused}).");
            }

            watch.Restart();
            for (uint id = 0; id < agents; id++)
            {
                mesh.Leave(id);
            }

            leaveSeconds.Add(watch.Elapsed.TotalSeconds);
            if (fabric.LeasedRingBytes != 0 || fabric.LeasedRings != 0 || fabric.WholeFreeRingBlocks != fabric.Layout.RingCount)
            {
                throw new InvalidOperationException($"capacity: round {round} leaked fabric memory ({fabric.LeasedRingBytes} bytes in {fabric.LeasedRings} rings still leased).");
            }
        }

        report.Add(HostedCase, Growable, hosted, "agents");
        report.Add(BytesCase, Growable, perAgentBytes, "bytes");
        report.Add(ManagedCase, Growable, managedPerAgent, "bytes (GC heap)");
        var host = hostSeconds.Order().ElementAt(hostSeconds.Count / 2);
        var leave = leaveSeconds.Order().ElementAt(leaveSeconds.Count / 2);
        report.Add(HostCase, Growable, host, $"s for {agents:N0} (median of {rounds})");
        report.Add(HostCase + " per agent", Growable, host / agents * 1e6, "us");
        report.Add(LeaveCase, Growable, leave, $"s for {agents:N0} (median of {rounds})");
        report.Ratios["hosted_agents_per_silo"] = hosted;
        report.Ratios["fabric_bytes_per_agent"] = perAgentBytes;
        report.Ratios["hosted_agents_vs_fixed_rings"] = hosted / report.Get(HostedCase, FixedRings);
        report.Ratios["host_seconds_100k_agents"] = host;
    }

    /// <summary>True when hosting one agent past the limit is refused with <see cref="AgentCapacityException"/>.</summary>
    private static bool Assert(Action host)
    {
        try
        {
            host();
            return false;
        }
        catch (AgentCapacityException)
        {
            return true;
        }
    }
}
