namespace NeuroMesh.Network;

/// <summary>The synapse storage layouts.</summary>
public static class SynapseStorageKinds
{
    /// <summary>CSR rows bucketed by delay: 4-byte target + 4-byte weight (+ 2-byte filter id when filtered).</summary>
    public const string Sparse = "sparse";

    /// <summary>A full source × target weight matrix, for small fully connected groups.</summary>
    public const string Dense = "dense";
}
