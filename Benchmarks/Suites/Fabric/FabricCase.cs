namespace NeuroMesh.Benchmarks.Suites.Fabric;

/// <summary>One transport measured by the fabric suite: the Axon or a peer queue.</summary>
internal interface IFabricTransport
{
    /// <summary>The name in the table.</summary>
    string Name { get; }

    /// <summary>One producer thread and one consumer thread move <paramref name="count"/> spikes, <paramref name="batch"/> at a time; returns seconds.</summary>
    double OneToOne(long count, int batch);

    /// <summary>One producer thread and <paramref name="readers"/> consumer threads that each receive every spike; returns seconds.</summary>
    double FanOut(long count, int readers);

    /// <summary>On one thread, publishes a ring's worth then drains it, repeatedly; returns nanoseconds per spike for each half.</summary>
    (double PublishNs, double DrainNs) SameThread(long count);
}
