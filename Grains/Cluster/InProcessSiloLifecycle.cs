using Microsoft.Extensions.DependencyInjection;

namespace NeuroMesh.Cluster;

/// <summary>Lists the silo in <see cref="InProcessSilos"/> while it is active: from the Active stage on, and off again first when it stops.</summary>
internal sealed class InProcessSiloLifecycle(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    private string? _key;
    private InProcessSilo? _silo;

    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(InProcessSiloLifecycle), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _key = SiloKey.For(services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
        _silo = new InProcessSilo(services.GetRequiredService<FabricIngressRouter>(), services.GetRequiredService<MeshIngress>());
        InProcessSilos.Add(_key, _silo);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        if (_key is not null && _silo is not null)
        {
            InProcessSilos.Remove(_key, _silo);
        }

        return Task.CompletedTask;
    }
}
