using Orleans.Streams;

namespace NeuroMesh.Cluster;

/// <summary>Names of the cross-silo spike stream: one stream per receiving silo, keyed by its parsable address.</summary>
public static class SpikeStreams
{
    /// <summary>The stream provider (memory streams on the embedded default).</summary>
    public const string ProviderName = "neuromesh-spikes";

    /// <summary>The namespace whose streams the fabric ingress grains subscribe to implicitly.</summary>
    public const string Namespace = "neuromesh.spikes";

    /// <summary>The stream that <paramref name="silo"/>'s ingress receives.</summary>
    public static StreamId For(SiloAddress silo) => StreamId.Create(Namespace, SiloKey.For(silo));

    /// <summary>The stream that the silo with parsable address <paramref name="siloKey"/> receives.</summary>
    public static StreamId For(string siloKey) => StreamId.Create(Namespace, siloKey);

    /// <summary>The producer handle of the stream to <paramref name="siloKey"/>.</summary>
    public static IAsyncStream<SpikeBatch> Open(IStreamProvider provider, string siloKey)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.GetStream<SpikeBatch>(For(siloKey));
    }
}
