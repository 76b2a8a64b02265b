namespace NeuroMesh.Silo.Http;

/// <summary><c>/api/examples</c>: the example NetworkSpecs of <c>examples/</c>, built into the node, for the web UI's deploy buttons.</summary>
internal static class ExampleEndpoints
{
    private const string Prefix = "NeuroMesh.Silo.examples.";

    public static void Map(RouteGroupBuilder reads)
    {
        var assembly = typeof(ExampleEndpoints).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

        reads.MapGet("/examples", () => Results.Ok(names)).WithSummary("The names of the built-in example specs.");
        reads.MapGet("/examples/{name}", (string name) =>
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                return GatewayProblems.NotFound($"no example '{name}'; there are: {string.Join(", ", names)}");
            }

            return Results.Stream(assembly.GetManifestResourceStream(Prefix + name + ".json")!, "application/json");
        }).WithSummary("One example NetworkSpec as JSON, ready to deploy.");
    }
}
