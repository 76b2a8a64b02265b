using System.Diagnostics;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// The agents suite's WebAssembly cases: a WASM relay against the same C# relay (through the free-running Cortex, and
/// called directly), WASM agents hosted in one mesh with the memory each takes, and module compile/instantiate times.
/// </summary>
internal static class WasmCases
{
    public const string RelayCase = "relay per spike";
    public const string RelayCallCase = "relay OnSpike call";
    public const string CSharpRelay = "C# RelayBehaviour";
    public const string WasmRelay = "WASM relay (Wasmtime)";
    public const string BesideFaults = "WASM relay, a neighbour trapping every 100th spike";

    private const uint Publisher = 1;
    private const uint Relay = 2;
    private const uint Sink = 3;

    public static void Run(BenchmarkReport report, SuiteOptions options)
    {
        var spikes = options.Quick ? 50_000 : 200_000;
        var calls = options.Quick ? 200_000 : 1_000_000;
        var repeats = options.Quick ? 3 : 5;
        var agents = 10_000;
        Console.Error.WriteLine($"agents/wasm: relay {spikes:N0} spikes and {calls:N0} direct calls, median of {repeats}; {agents:N0} hosted agents");
        using var runtime = new WasmRuntime();
        var module = runtime.LoadText(WasmRelayModule.Wat);

        Func<INeuronBehaviour>[] relays = [() => new RelayBehaviour(), () => runtime.CreateBehaviour(module)];
        string[] names = [CSharpRelay, WasmRelay];
        var pipeline = new List<double>[2] { [], [] };
        var direct = new List<double>[2] { [], [] };
        var besideFaults = new List<double>();
        var crasher = runtime.LoadText(RestartingWasmBehaviour.Wat);
        for (var round = 0; round < repeats + 1; round++)
        {
            for (var i = 0; i < relays.Length; i++)
            {
                var through = RelayThroughMesh(relays[i](), round == 0 ? spikes / 4 : spikes);
                var called = RelayCalls(relays[i](), round == 0 ? calls / 4 : calls);
                if (round > 0)
                {
                    // Round 0 is the warm-up (JIT and caches for both relays alike).
                    pipeline[i].Add(through);
                    direct[i].Add(called);
                }
            }

            var faulted = RelayThroughMesh(runtime.CreateBehaviour(module), round == 0 ? spikes / 4 : spikes, new RestartingWasmBehaviour(runtime, crasher));
            if (round > 0)
            {
                besideFaults.Add(faulted);
            }
        }

        for (var i = 0; i < relays.Length; i++)
        {
            report.Add(RelayCase, names[i], Median(pipeline[i]), "ns/spike (publisher -> relay -> sink)");
            report.Add(RelayCallCase, names[i], Median(direct[i]), "ns/call");
        }

        report.Add(RelayCase, BesideFaults, Median(besideFaults), "ns/spike (publisher -> relay -> sink)");
        report.Ratios["wasm_vs_csharp_relay"] = report.Get(RelayCase, WasmRelay) / report.Get(RelayCase, CSharpRelay);
        report.Ratios["wasm_relay_beside_faults_vs_quiet"] = report.Get(RelayCase, BesideFaults) / report.Get(RelayCase, WasmRelay);
        TrapStall(report, runtime);
        report.Ratios["wasm_vs_csharp_relay_call"] = report.Get(RelayCallCase, WasmRelay) / report.Get(RelayCallCase, CSharpRelay);

        CompileAndInstantiate(report);
        foreach (var allocation in new[] { WasmAllocation.OnDemand, WasmAllocation.Pooling })
        {
            HostMany(report, agents, allocation);
        }
    }

    /// <summary>
    /// Publisher broadcasts numbered spikes to the relay, which passes each on to a sink; the time per spike. With a
    /// <paramref name="neighbour"/>, the publisher broadcasts to it too, and its faults are checked against its restarts.
    /// </summary>
    private static double RelayThroughMesh(INeuronBehaviour relay, int spikes, RestartingWasmBehaviour? neighbour = null)
    {
        using var done = new CountdownEvent(1);
        using var mesh = new Cortex(new CortexOptions { MaxNeurons = 4, RingCapacity = 1024, PayloadBytes = Arena.MinimumCapacity });
        var publisher = new MeshPublisher(spikes, 1024);
        var sink = new MeshSubscriber(spikes, done);
        mesh.AddNeuron(Publisher, publisher);
        mesh.AddNeuron(Relay, relay);
        mesh.AddNeuron(Sink, sink);
        mesh.Subscribe(Publisher, Relay);
        mesh.Subscribe(Relay, Sink);
        if (neighbour is not null)
        {
            mesh.AddNeuron(Sink + 1, neighbour);
            mesh.Subscribe(Publisher, Sink + 1);
        }

        mesh.Start();
        var watch = Stopwatch.StartNew();
        mesh.Stimulate(Publisher);
        AgentWorkload.Await(done.WaitHandle, relay.GetType().Name, "relay");
        var seconds = watch.Elapsed.TotalSeconds;
        if (!mesh.WaitForIdle(AgentWorkload.Timeout))
        {
            throw new InvalidOperationException("relay: the mesh did not go idle.");
        }

        mesh.Stop();
        var counters = mesh.Counters;
        AgentRun.Verify(relay.GetType().Name, seconds, spikes, [sink.Received], [sink.Checksum]);
        var faults = neighbour?.Restarts ?? 0;
        if (counters.Faults != faults || (neighbour is not null && faults != spikes / 100) || counters.Refused != 0 || !counters.Balances)
        {
            throw new InvalidOperationException($"relay ({relay.GetType().Name}): mesh accounting is off ({counters}).");
        }

        return seconds * 1e9 / spikes;
    }

    /// <summary>How long one call of an endless loop runs before it traps out of fuel: the longest a looping module holds its mesh.</summary>
    private static void TrapStall(BenchmarkReport report, WasmRuntime runtime)
    {
        const int traps = 5;
        var looper = runtime.LoadText("""
            (module (memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1))
              (func (export "on_fire") (loop $forever (br $forever))))
            """);
        using var axon = new Axon(new AxonOptions { Capacity = 16, Overflow = OverflowPolicy.Block });
        var handle = new NeuronHandle(Relay, axon, new ManualTickClock());
        var times = new List<double>();
        for (var i = 0; i < traps + 1; i++)
        {
            using var behaviour = runtime.CreateBehaviour(looper);
            var watch = Stopwatch.StartNew();
            try
            {
                behaviour.OnFire(handle);
                throw new InvalidOperationException("the endless loop returned");
            }
            catch (WasmTrapException e) when (e.Kind == WasmFaultKind.OutOfFuel)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        report.Add("wasm trap stall", $"endless loop until out of fuel ({runtime.Options.FuelPerCall:N0} fuel)", Median(times.Skip(1).ToList()), "ms per trapped call");
    }

    /// <summary>Calls the relay's OnSpike directly (4-byte payload), draining its Axon as a reader would; the time per call.</summary>
    private static double RelayCalls(INeuronBehaviour relay, int calls)
    {
        using var axon = new Axon(new AxonOptions { Capacity = 1024, Overflow = OverflowPolicy.Block });
        var handle = new NeuronHandle(Relay, axon, new ManualTickClock());
        using var reader = handle.CreateReader();
        var spike = Spike.Create(source: Publisher, target: Spike.BroadcastTarget);
        spike.SetInlinePayload([1, 2, 3, 4]);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            relay.OnSpike(in spike, handle);
            if ((i & 511) == 511)
            {
                while (reader.TryRead(out _))
                {
                }
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        if (handle.Counters.Fired != calls)
        {
            throw new InvalidOperationException($"relay calls ({relay.GetType().Name}): fired {handle.Counters.Fired} of {calls}.");
        }

        (relay as IDisposable)?.Dispose();

        return seconds * 1e9 / calls;
    }

    /// <summary>Compile (a fresh runtime each time), load from the cache, and instantiate; means over several tries.</summary>
    private static void CompileAndInstantiate(BenchmarkReport report)
    {
        const int colds = 10;
        const int hits = 10_000;
        const int instances = 2_000;
        var binary = Wasmtime.Module.ConvertText(WasmRelayModule.Wat);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < colds; i++)
        {
            using var fresh = new WasmRuntime();
            fresh.Load(binary);
        }

        report.Add("wasm module load", "cold (new engine, compile, check, trial instance)", watch.Elapsed.TotalMilliseconds / colds, "ms");
        using var runtime = new WasmRuntime();
        var module = runtime.Load(binary);
        watch.Restart();
        for (var i = 0; i < hits; i++)
        {
            runtime.Load(binary);
        }

        report.Add("wasm module load", "cached (SHA-256 of the bytes, cache hit)", watch.Elapsed.TotalMicroseconds / hits, "us");
        var made = new List<WasmBehaviour>(instances);
        watch.Restart();
        for (var i = 0; i < instances; i++)
        {
            made.Add(runtime.CreateBehaviour(module));
        }

        report.Add("wasm instantiate", "cached module, new store + instance", watch.Elapsed.TotalMicroseconds / instances, "us");
        made.ForEach(b => b.Dispose());
    }

    /// <summary>Hosts <paramref name="agents"/> WASM relays in one mesh, each receiving one spike; the resident memory each adds.</summary>
    private static void HostMany(BenchmarkReport report, int agents, WasmAllocation allocation)
    {
        var options = new WasmOptions { Allocation = allocation, PoolSlots = agents + 16 };
        using var runtime = new WasmRuntime(options);
        var module = runtime.LoadText(WasmRelayModule.Wat);
        using var mesh = new Cortex(new CortexOptions { MaxNeurons = agents + 1, RingCapacity = 16, PayloadBytes = Arena.MinimumCapacity });
        var before = Resident();
        var relays = new WasmBehaviour[agents];
        for (var i = 0; i < agents; i++)
        {
            relays[i] = runtime.CreateBehaviour(module);
        }

        var created = Resident();
        mesh.AddNeuron(0, new MeshPublisher(1, 1));
        for (var i = 0; i < agents; i++)
        {
            mesh.AddNeuron((uint)(i + 1), relays[i]);
            mesh.Subscribe(0, (uint)(i + 1));
        }

        mesh.Stimulate(0);
        mesh.RunUntilIdle();
        var hosted = Resident();
        var handled = relays.Sum(r => r.Counters.SpikesHandled);
        if (handled != agents || runtime.Counters.InstancesLive != agents || mesh.Counters.Faults != 0)
        {
            throw new InvalidOperationException($"{agents} WASM agents ({allocation}): {handled} handled their spike, {runtime.Counters.InstancesLive} live, {mesh.Counters.Faults} faults.");
        }

        var name = $"WASM relay, {allocation} allocator";
        report.Add("wasm agents hosted in one mesh", name, agents, "agents (each handled its spike)");
        report.Add("wasm memory per instance", name, (created - before) / (double)agents / 1024, "KiB resident (created)");
        report.Add("wasm memory per hosted agent", name, (hosted - before) / (double)agents / 1024, "KiB resident (hosted + first spike, incl. its mesh slot)");
    }

    private static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
