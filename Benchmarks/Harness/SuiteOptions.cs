namespace NeuroMesh.Benchmarks.Harness;

/// <summary>The options every suite takes: <c>[--quick] [--json PATH]</c>.</summary>
public sealed record SuiteOptions(bool Quick, string? JsonPath)
{
    /// <summary>Parses the arguments that follow the suite name.</summary>
    /// <exception cref="ArgumentException">An unknown option, or <c>--json</c> without a path.</exception>
    public static SuiteOptions Parse(ReadOnlySpan<string> args)
    {
        var quick = false;
        string? json = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < args.Length:
                    json = args[++i];
                    break;
                case "--json":
                    throw new ArgumentException("--json needs a path, for example --json results/fabric.json");
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'; expected --quick or --json PATH");
            }
        }

        return new SuiteOptions(quick, json);
    }
}
