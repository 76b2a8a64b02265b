namespace NeuroMesh.Tests.Persistence.Grains;

/// <summary>A minimal event-sourced grain for the delta-log provider tests.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task Add(int amount);

    Task Reset();

    Task<(int Total, int Events, int Version)> Read();

    Task Deactivate();
}
