using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites;

// Usage: dotnet run -c Release --project Benchmarks -- <suite> [--quick] [--json PATH]
IBenchmarkSuite[] suites =
[
    new FabricSuite(), new CubaSuite(), new BrunelSuite(), new DeltaLogSuite(), new AgentsSuite(), new GpuSuite(),
    new CrossSiloSuite(), new ValidateSuite(), new MicrocircuitSuite(), new PynnSuite(), new ChaosSuite(),
];

// The crosssilo suite's second process (the receiving silo) runs from this same program.
if (args.Length > 0 && args[0] == NeuroMesh.Benchmarks.Suites.CrossSilo.CrossSiloPeer.Verb)
{
    return NeuroMesh.Benchmarks.Suites.CrossSilo.CrossSiloPeer.Run(args.AsSpan(1));
}

// The microcircuit suite measures each network's memory in a process of its own, run from this same program.
if (args.Length > 1 && args[0] == MicrocircuitSuite.Verb)
{
    return MicrocircuitSuite.RunChild(args.AsSpan(1));
}

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project Benchmarks -- <suite> [--quick] [--json PATH]");
    foreach (var s in suites)
    {
        Console.WriteLine($"  {s.Name,-10} {s.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var suite = suites.FirstOrDefault(s => s.Name == args[0]);
if (suite is null)
{
    Console.Error.WriteLine($"unknown suite '{args[0]}'; known suites: {string.Join(", ", suites.Select(s => s.Name))}");
    return 2;
}

SuiteOptions options;
try
{
    options = SuiteOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var report = suite.Run(options);
report.PrintTable(Console.Out);
if (options.JsonPath is not null)
{
    report.WriteJson(options.JsonPath);
    Console.WriteLine($"wrote {options.JsonPath}");
}

return 0;
