namespace NeuroMesh.Benchmarks.Harness;

/// <summary>One measured figure: a case, the implementation that produced it, the value and its unit.</summary>
public sealed record BenchmarkResult(string Case, string Impl, double Value, string Unit);
