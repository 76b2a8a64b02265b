namespace NeuroMesh.Network;

/// <summary>Checks stimuli and monitors.</summary>
internal static class StimulusChecks
{
    public static void Check(SpecChecker c, string path, StimulusSpec s, Dictionary<string, int> sizes, double duration)
    {
        c.OneOf($"{path}.kind", s.Kind, [StimulusKinds.Poisson, StimulusKinds.SpikeTimes], "stimulus");
        c.OneOf($"{path}.channel", s.Channel, SynapseChannels.All, "channel");
        c.Finite($"{path}.weight", s.Weight);
        if (!sizes.TryGetValue(s.Target ?? "", out var size))
        {
            c.Error($"{path}.target", $"unknown population '{s.Target}'");
            return;
        }

        c.Indices($"{path}.neurons", s.Neurons, size);
        if (s.Kind == StimulusKinds.Poisson)
        {
            c.NonNegative($"{path}.rate", s.Rate, "rate");
            if (s.Count < 1)
            {
                c.Error($"{path}.count", $"count must be >= 1 (got {s.Count})");
            }

            c.NonNegative($"{path}.start", s.Start, "start");
            if (s.Stop is { } stop && c.Finite($"{path}.stop", stop) && stop < s.Start)
            {
                c.Error($"{path}.stop", $"stop ({stop}) must not precede start ({s.Start})");
            }

            if (double.IsFinite(s.Rate) && s.Count >= 1 && s.Rate * s.Count * c.Dt / 1000 > 50)
            {
                c.Error($"{path}.rate", "rate x count x dt exceeds 50 events per tick per neuron");
            }
        }
        else if (s.Kind == StimulusKinds.SpikeTimes && c.NotNull($"{path}.spikes", s.Spikes))
        {
            for (var i = 0; i < s.Spikes.Count; i++)
            {
                var e = s.Spikes[i];
                var ep = $"{path}.spikes[{i}]";
                if (!c.NotNull(ep, e))
                {
                    continue;
                }

                if ((uint)e.Neuron >= (uint)size)
                {
                    c.Error($"{ep}.neuron", $"neuron index {e.Neuron} is outside the population (size {size})");
                }

                c.NonNegative($"{ep}.time", e.Time, "time");
                if (e.Time >= 0)
                {
                    c.MultipleOfDt($"{ep}.time", e.Time);
                    if (e.Time >= duration)
                    {
                        c.Error($"{ep}.time", $"time {e.Time} ms is not before the end of the run ({duration} ms)");
                    }
                }
            }
        }
    }

    public static void CheckMonitor(SpecChecker c, string path, MonitorSpec m, Dictionary<string, int> sizes)
    {
        c.OneOf($"{path}.kind", m.Kind, [MonitorKinds.Spikes, MonitorKinds.State], "monitor");
        if (!sizes.TryGetValue(m.Population ?? "", out var size))
        {
            c.Error($"{path}.population", $"unknown population '{m.Population}'");
        }
        else
        {
            c.Indices($"{path}.neurons", m.Neurons, size);
        }

        if (m.Kind == MonitorKinds.State)
        {
            c.OneOf($"{path}.variable", m.Variable, MonitorKinds.Variables, "state variable");
        }

        if (m.Interval is { } interval)
        {
            c.Positive($"{path}.interval", interval, "interval");
            c.MultipleOfDt($"{path}.interval", interval);
        }
    }
}
