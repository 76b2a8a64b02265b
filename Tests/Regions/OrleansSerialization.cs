using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Regions;
using Orleans.Serialization;

namespace NeuroMesh.Tests.Regions;

/// <summary>An Orleans serializer that knows the contract assembly, for wire round-trip tests.</summary>
internal static class OrleansSerialization
{
    public static Serializer Create()
        => new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(RegionPath).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
}
