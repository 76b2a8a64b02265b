using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>One way of getting spikes from the sending silo to the receiving silo's recorder.</summary>
internal interface ISpikePath
{
    string Name { get; }

    /// <summary>Sends a chunk; may wait for back-pressure. The chunk may be reused once this completes.</summary>
    ValueTask SendAsync(ReadOnlyMemory<Spike> spikes);

    /// <summary>Completes once nothing sent is still on the way (delivered or accounted as dropped).</summary>
    Task DrainAsync();

    /// <summary>Spikes this path dropped itself, with its reasons (the recorder counts what arrived).</summary>
    (long Dropped, string Detail) Drops();
}
