namespace NeuroMesh.Engine;

/// <summary>
/// The firing statistics of one group of neurons over an analysis window, defined exactly as the Brian2 validation
/// scripts define them (<c>Tests/Fixtures/brian2/brian2_validate.py</c>), so the two can be compared number for number.
/// </summary>
/// <param name="RateHz">Spikes in the window per neuron per second.</param>
/// <param name="CvIsi">
/// Mean over neurons with at least 3 spikes in the window of std(ISI) / mean(ISI) (population std).
/// </param>
/// <param name="FractionFiring">The fraction of neurons with at least one spike in the window.</param>
/// <param name="Fano">
/// Mean over neurons with a non-zero mean count of the spike-count Fano factor: the counts in consecutive complete
/// bins of the window, sample variance (n − 1) over mean.
/// </param>
public readonly record struct PopulationStatistics(double RateHz, double CvIsi, double FractionFiring, double Fano);
