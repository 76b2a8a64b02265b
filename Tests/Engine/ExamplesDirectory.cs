namespace NeuroMesh.Tests.Engine;

internal static class ExamplesDirectory
{
    /// <summary>The repository root (the first folder above the test binaries that holds examples/).</summary>
    public static string Root() => Path.GetDirectoryName(NeuroMesh.Tests.Network.NetworkSpecValidationTests.ExamplesDirectory())!;
}
