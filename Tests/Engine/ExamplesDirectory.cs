namespace NeuroMesh.Tests.Engine;

internal static class ExamplesDirectory
{
    /// <summary>The repository root (the first folder above the test binaries that holds examples/).</summary>
    public static string Root() => Path.GetDirectoryName(NeuroMesh.Tests.Network.NetworkSpecValidationTests.ExamplesDirectory())!;

    /// <summary>The spec examples/<paramref name="name"/>, loaded and checked.</summary>
    public static NeuroMesh.Network.NetworkSpec Spec(string name) => NeuroMesh.Network.NetworkSpec.Load(Path.Combine(Root(), "examples", name));
}
