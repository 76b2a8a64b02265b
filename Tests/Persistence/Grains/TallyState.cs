namespace NeuroMesh.Tests.Persistence.Grains;

/// <summary>State of the test grain.</summary>
[GenerateSerializer]
public sealed class TallyState
{
    [Id(0)] public int Total { get; set; }

    [Id(1)] public int Events { get; set; }
}
