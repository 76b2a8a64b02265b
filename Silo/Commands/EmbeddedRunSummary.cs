using System.Globalization;

namespace NeuroMesh.Silo.Commands;

/// <summary>What <c>run</c> prints and writes with <c>--json</c>.</summary>
internal sealed record EmbeddedRunSummary(
    string Network,
    string RunId,
    int Neurons,
    long Synapses,
    long Ticks,
    double DtMs,
    long Spikes,
    double MeanRateHz,
    double WallSeconds,
    double PlaceSeconds,
    double ClusterStartSeconds,
    double RealTimeFactor,
    int Silos,
    int WindowTicks,
    int ThreadsPerSilo,
    string SpikeTrainHash)
{
    public void Print(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"network          {Network} (run {RunId})");
        output.WriteLine(string.Create(c, $"neurons          {Neurons:N0}"));
        output.WriteLine(string.Create(c, $"synapses         {Synapses:N0}"));
        output.WriteLine(string.Create(c, $"ticks            {Ticks:N0} (dt {DtMs} ms, {Ticks * DtMs / 1000.0:0.###} s simulated)"));
        output.WriteLine(string.Create(c, $"spikes           {Spikes:N0}"));
        output.WriteLine(string.Create(c, $"mean rate        {MeanRateHz:0.###} Hz"));
        output.WriteLine(string.Create(c, $"silos            {Silos} in lockstep, exchanging every {WindowTicks} tick(s); {ThreadsPerSilo} engine thread(s) per silo"));
        output.WriteLine(string.Create(c, $"wall             {WallSeconds:0.###} s simulating (placed and built in {PlaceSeconds:0.###} s; cluster started in {ClusterStartSeconds:0.###} s)"));
        output.WriteLine(string.Create(c, $"real-time factor {RealTimeFactor:0.###} (wall / simulated; below 1 is faster than real time)"));
        output.WriteLine($"spike-train hash {SpikeTrainHash}");
    }
}
