using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Network;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// IlgpuEngine against CpuEngine on the same networks in one run: real-time factor (wall / simulated time) and synaptic
/// events per second. The device is CUDA (then OpenCL) when present; without one the suite runs ILGPU's CPU
/// accelerator, labelled <c>ilgpu_cpu_emulator</c>, whose figures say nothing about GPU performance. The Brunel-size
/// and microcircuit-scale networks run only on a real device.
/// </summary>
public sealed class GpuSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "gpu";

    /// <inheritdoc />
    public string Description => "IlgpuEngine vs CpuEngine: CUBA 4000 (+ Brunel 12.5k and a 77k microcircuit-scale net on a GPU); RTF and synaptic events/s";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var report = new BenchmarkReport(Name);
        var gpu = DeviceHostProbe();
        var device = gpu ? IlgpuDevice.Auto : IlgpuDevice.CpuEmulator;
        var cuba = NetworkSpec.Load(Path.Combine(RepositoryRoot(), "examples", "cuba.json"));

        // The emulator pays milliseconds per kernel launch, so it runs short slices; a device runs the spec's full second.
        var size = gpu || !options.Quick ? 4000 : 1000;
        var ms = gpu ? (options.Quick ? 200 : 1000) : (options.Quick ? 20 : 100);
        var spec = Resize(cuba, size) with { Duration = ms };
        WarmUp(Resize(cuba, 1000) with { Duration = 50 }, device);
        Compare(report, $"cuba_{size}", spec, device);
        if (gpu)
        {
            Compare(report, "brunel_12500", Brunel(options.Quick ? 200 : 1000), device);
            if (!options.Quick)
            {
                Compare(report, "microcircuit_77k", Microcircuit(1000), device, cpuMs: 100);
            }
        }

        return report;
    }

    private static bool DeviceHostProbe() => EngineFactory.Choose(new NetworkSpec
    {
        Populations = [new PopulationSpec { Name = "p", Size = 1, Model = NeuronModels.LifDelta, Params = new NeuronParamsSpec() }],
    }).Gpu;

    /// <summary>
    /// Compiles the kernels (once per accelerator) and JIT-compiles both engines' tick loops on a small network, so the
    /// timed runs below pay neither, and the large networks are built only for the runs that are timed (building the
    /// microcircuit-scale network's 0.3 billion synapses takes long enough to matter on a device session's clock).
    /// </summary>
    private static void WarmUp(NetworkSpec small, IlgpuDevice device)
    {
        using (var ilgpu = new IlgpuEngine(small, new IlgpuEngineOptions { Device = device }))
        {
            ilgpu.Run(small.TotalTicks);
        }

        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            using var cpu = new CpuEngine(small, new EngineOptions { Threads = threads });
            cpu.Run(small.TotalTicks);
        }
    }

    private static void Compare(BenchmarkReport report, string @case, NetworkSpec spec, IlgpuDevice device, double? cpuMs = null)
    {
        using var engine = new IlgpuEngine(spec, new IlgpuEngineOptions { Device = device });
        var label = engine.Device == IlgpuDevice.CpuEmulator ? "ilgpu_cpu_emulator" : $"ilgpu_{engine.Device.ToString().ToLowerInvariant()}";
        var result = engine.Run(spec.TotalTicks);
        long events = 0;
        foreach (var s in result.Spikes)
        {
            events += engine.OutDegree(s.Neuron);
        }

        Record(report, @case, label, result, events, spec);
        report.Add(@case + "_device", label + ": " + engine.DeviceName, 1, "info");

        var cpuSpec = cpuMs is { } m ? spec with { Duration = m } : spec;
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            using var timed = new CpuEngine(cpuSpec, new EngineOptions { Threads = threads });
            var r = timed.Run(cpuSpec.TotalTicks);
            long cpuEvents = 0;
            foreach (var s in r.Spikes)
            {
                cpuEvents += engine.OutDegree(s.Neuron);
            }

            Record(report, @case, $"cpu_engine_{threads}_threads", r, cpuEvents, cpuSpec);
            if (cpuMs is null && threads == 1)
            {
                report.Add(@case + "_hash_identical", label + "_vs_cpu_engine", r.SpikeTrainHash == result.SpikeTrainHash ? 1 : 0, "bool");
            }
        }
    }

    private static void Record(BenchmarkReport report, string @case, string impl, RunResult r, long events, NetworkSpec spec)
    {
        var seconds = r.WallTime.TotalSeconds;
        report.Add(@case + "_rtf", impl, seconds / (spec.TotalTicks * spec.Dt / 1000.0), "wall/sim");
        report.Add(@case + "_events", impl, events / seconds, "events/s");
        report.Add(@case + "_rate", impl, r.MeanRateHz(), "Hz");
    }

    private static NetworkSpec Resize(NetworkSpec cuba, int neurons)
    {
        // Same in-degree as the 4000-neuron original (p scales inversely), so activity stays comparable.
        var p = 0.02 * 4000 / neurons;
        return cuba with
        {
            Populations = [cuba.Populations[0] with { Size = neurons * 4 / 5 }, cuba.Populations[1] with { Size = neurons / 5 }],
            Projections = [.. cuba.Projections.Select(x => x with { Rule = x.Rule with { P = Math.Min(1, p) } })],
        };
    }

    /// <summary>Brunel (2000) model A size: 10,000 E + 2,500 I delta-synapse LIF, in-degree 1000 E + 250 I (12.5M synapses), Poisson drive.</summary>
    private static NetworkSpec Brunel(double ms) => Layered(ms, [("E", 10_000, true), ("I", 2_500, false)], 1250);

    /// <summary>
    /// A microcircuit-scale load: the eight population sizes of Potjans &amp; Diesmann (2014), 77,169 neurons, fixed
    /// in-degree about 3,900 (about 0.3 billion synapses) drawn in proportion to source size. It is not the PD14
    /// connectivity map, only its size and synapse count.
    /// </summary>
    private static NetworkSpec Microcircuit(double ms) => Layered(ms,
        [("L23E", 20_683, true), ("L23I", 5_834, false), ("L4E", 21_915, true), ("L4I", 5_479, false),
         ("L5E", 4_850, true), ("L5I", 1_065, false), ("L6E", 14_395, true), ("L6I", 2_948, false)], 3900);

    private static NetworkSpec Layered(double ms, (string Name, int Size, bool Excitatory)[] pops, int inDegree)
    {
        var total = pops.Sum(p => p.Size);
        var q = new NeuronParamsSpec
        {
            TauM = 20, VRest = 0, VThreshold = 20, VReset = 10, Refractory = 2,
            VInit = DistributionSpec.Uniform(0, 20),
        };
        var jE = 20.0 / inDegree; // keeps the mean recurrent drive fixed as in-degree grows
        return new NetworkSpec
        {
            Dt = 0.1, Duration = ms, Seed = 5,
            Populations = [.. pops.Select(p => new PopulationSpec { Name = p.Name, Size = p.Size, Model = NeuronModels.LifDelta, Params = q })],
            Projections = [.. from s in pops from t in pops select new ProjectionSpec
            {
                Name = $"{s.Name}_{t.Name}", Source = s.Name, Target = t.Name,
                Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedInDegree, N = Math.Max(1, (int)Math.Round(inDegree * (double)s.Size / total)) },
                Channel = s.Excitatory ? SynapseChannels.Excitatory : SynapseChannels.Inhibitory,
                Weight = DistributionSpec.Constant(s.Excitatory ? jE : -5 * jE),
                Delay = DistributionSpec.Constant(1.5),
            }],
            Stimuli = [.. pops.Select(p => new StimulusSpec { Name = "drive_" + p.Name, Kind = StimulusKinds.Poisson, Target = p.Name, Rate = 20, Count = 1000, Weight = 0.1 })],
        };
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "examples", "cuba.json")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("examples/cuba.json not found above the current or the program directory; run from the repository");
    }
}
