namespace NeuroMesh.Network;

/// <summary>
/// Checks a <see cref="NetworkSpec"/> before anything runs. Every problem is reported with the JSON path of the
/// offending value and the reason: unknown populations, models or kinds, probabilities outside [0, 1], dt ≤ 0,
/// negative taus, delays or sizes, NaN or infinite numbers, delays and times that are not multiples of dt,
/// duplicate names, indices out of range.
/// </summary>
public static class NetworkSpecValidator
{
    /// <summary>Returns every problem in the spec (empty when it is valid).</summary>
    public static IReadOnlyList<SpecError> Validate(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var c = new SpecChecker(spec.Dt);
        if (c.Finite("$.dt", spec.Dt) && spec.Dt <= 0)
        {
            c.Error("$.dt", $"dt must be > 0 ms (got {spec.Dt})");
        }

        if (c.Finite("$.duration", spec.Duration))
        {
            if (spec.Duration <= 0)
            {
                c.Error("$.duration", $"duration must be > 0 ms (got {spec.Duration})");
            }
            else
            {
                c.MultipleOfDt("$.duration", spec.Duration);
            }
        }

        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        c.UniqueNames("$.populations", spec.Populations.Select(p => p?.Name));
        for (var i = 0; i < spec.Populations.Count; i++)
        {
            var p = spec.Populations[i];
            var path = $"$.populations[{i}]";
            if (c.NotNull(path, p))
            {
                PopulationChecks.Check(c, path, p);
                sizes.TryAdd(p.Name, p.Size);
            }
        }

        if (spec.Populations.Where(p => p is not null).Sum(p => (long)Math.Max(0, p.Size)) > int.MaxValue / 2)
        {
            c.Error("$.populations", "the network has more than 2^30 neurons");
        }

        c.UniqueNames("$.projections", spec.Projections.Select(p => p?.Name));
        for (var i = 0; i < spec.Projections.Count; i++)
        {
            var path = $"$.projections[{i}]";
            if (c.NotNull(path, spec.Projections[i]))
            {
                ProjectionChecks.Check(c, path, spec.Projections[i], sizes);
            }
        }

        c.UniqueNames("$.stimuli", spec.Stimuli.Select(s => s?.Name));
        for (var i = 0; i < spec.Stimuli.Count; i++)
        {
            var path = $"$.stimuli[{i}]";
            if (c.NotNull(path, spec.Stimuli[i]))
            {
                StimulusChecks.Check(c, path, spec.Stimuli[i], sizes, spec.Duration);
            }
        }

        c.UniqueNames("$.monitors", spec.Monitors.Select(m => m?.Name));
        for (var i = 0; i < spec.Monitors.Count; i++)
        {
            var path = $"$.monitors[{i}]";
            if (c.NotNull(path, spec.Monitors[i]))
            {
                StimulusChecks.CheckMonitor(c, path, spec.Monitors[i], sizes);
            }
        }

        if (spec.Supervision is not null)
        {
            SupervisionChecks.Check(c, spec.Supervision, sizes, spec.Populations.Where(p => p is not null).Sum(p => Math.Max(0, p.Size)));
        }

        return c.Errors;
    }

    /// <summary>Throws when the spec has any problem.</summary>
    /// <exception cref="NetworkSpecException">The spec is invalid; the message lists every problem with its JSON path.</exception>
    public static void ThrowIfInvalid(NetworkSpec spec)
    {
        var errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new NetworkSpecException(errors);
        }
    }
}
