using Microsoft.Extensions.DependencyInjection;

namespace NeuroMesh.Cluster;

/// <summary>Registers the silo's <see cref="MeshIngress"/> for <see cref="SpikeBatch.MeshChannel"/> when the silo starts, and closes its <see cref="SiloOutbox"/> when it stops.</summary>
internal sealed class MeshLifecycle(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    private IDisposable? _registration;
    private SiloOutbox? _outbox;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(MeshLifecycle), ServiceLifecycleStage.ApplicationServices, Start, Stop);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        // Resolved now: by the time the silo stops, its service provider may already be disposed.
        _outbox = services.GetRequiredService<SiloOutbox>();
        _registration = services.GetRequiredService<FabricIngressRouter>().Register(SpikeBatch.MeshChannel, services.GetRequiredService<MeshIngress>());
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        if (_outbox is not null)
        {
            await _outbox.DisposeAsync();
        }

        _registration?.Dispose();
    }
}
