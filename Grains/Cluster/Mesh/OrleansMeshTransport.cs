using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace NeuroMesh.Cluster;

/// <summary>The mesh transport of a silo: memory spike streams (<see cref="SpikeStreams"/>) and <see cref="IMeshIngressGrain"/>.</summary>
public sealed class OrleansMeshTransport(IServiceProvider services, IGrainFactory grains) : IMeshTransport
{
    private readonly ConcurrentDictionary<SiloAddress, IAsyncStream<SpikeBatch>> _streams = new();
    private IStreamProvider? _provider;

    /// <inheritdoc />
    public Task SendAsync(SiloAddress destination, SpikeBatch batch)
    {
        // The provider is resolved on first use: it is not ready while the silo's services are still being built.
        _provider ??= services.GetRequiredKeyedService<IStreamProvider>(SpikeStreams.ProviderName);
        var stream = _streams.GetOrAdd(destination, static (silo, provider) => SpikeStreams.Open(provider, SiloKey.For(silo)), _provider);
        return stream.OnNextAsync(batch);
    }

    /// <inheritdoc />
    public Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender)
        => grains.GetGrain<IMeshIngressGrain>(SiloKey.For(destination)).GetReceipt(sender);
}
