namespace NeuroMesh.Benchmarks.Harness;

/// <summary>A benchmark suite: one command name, one report with every peer measured in the same run.</summary>
public interface IBenchmarkSuite
{
    /// <summary>The command-line name, for example <c>fabric</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs every case and peer and returns the report.</summary>
    BenchmarkReport Run(SuiteOptions options);
}
