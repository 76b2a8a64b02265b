namespace NeuroMesh.Tests.Python;

/// <summary>
/// The Python tests share one installed environment and run one at a time (each starts its own silos).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PythonCollection : ICollectionFixture<PythonEnvironment>
{
    public const string Name = "python package";
}
