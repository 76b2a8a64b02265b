namespace NeuroMesh.Fabric;

/// <summary>Arena size presets for a silo's fabric.</summary>
public enum FabricTier
{
    /// <summary>32 MiB: a small silo or a test host.</summary>
    Light,

    /// <summary>64 MiB: the default.</summary>
    Moderate,

    /// <summary>128 MiB: a busy silo.</summary>
    Heavy,

    /// <summary>256 MiB and up (a power of two): a silo dedicated to one large network.</summary>
    Dedicated,
}
