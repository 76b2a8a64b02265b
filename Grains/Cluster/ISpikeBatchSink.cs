namespace NeuroMesh.Cluster;

/// <summary>Takes the batches of one channel on one silo. Called from the ingress grain's turns, one batch at a time per silo.</summary>
public interface ISpikeBatchSink
{
    /// <summary>Takes <paramref name="batch"/>; must not block. An exception is counted by the ingress as a sink fault.</summary>
    void Accept(SpikeBatch batch);
}
