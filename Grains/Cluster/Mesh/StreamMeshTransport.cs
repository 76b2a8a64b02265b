using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace NeuroMesh.Cluster;

/// <summary>
/// The streams mesh transport (<c>NeuroMesh:Cluster:MeshTransport = Streams</c>): batches go on the destination's memory
/// spike stream (<see cref="SpikeStreams"/>), receipts come from its <see cref="IMeshIngressGrain"/>.
/// </summary>
public sealed class StreamMeshTransport(IServiceProvider services, IGrainFactory grains) : IMeshTransport
{
    private readonly ConcurrentDictionary<SiloAddress, IAsyncStream<SpikeBatch>> _streams = new();
    private IStreamProvider? _provider;

    /// <inheritdoc />
    public async Task<MeshReceipt?> SendAsync(SiloAddress destination, SpikeBatch batch)
    {
        // The provider is resolved on first use: it is not ready while the silo's services are still being built.
        _provider ??= services.GetRequiredKeyedService<IStreamProvider>(SpikeStreams.ProviderName);
        var stream = _streams.GetOrAdd(destination, static (silo, provider) => SpikeStreams.Open(provider, SiloKey.For(silo)), _provider);
        await stream.OnNextAsync(batch).ConfigureAwait(false);
        return null;
    }

    /// <inheritdoc />
    public Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender)
        => grains.GetGrain<IMeshIngressGrain>(SiloKey.For(destination)).GetReceipt(sender);
}
