using Orleans.Placement;

namespace NeuroMesh.Placement;

/// <summary>Marks a grain class as placed by <see cref="SiloIngressPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloIngressPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloIngressPlacementAttribute()
        : base(SiloIngressPlacement.Singleton)
    {
    }
}
