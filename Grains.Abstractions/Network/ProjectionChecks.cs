namespace NeuroMesh.Network;

/// <summary>Checks one projection: populations, rule, weights, delays, plasticity, storage and filter.</summary>
internal static class ProjectionChecks
{
    private const long MaxDenseEntries = 1L << 24;
    private const int MaxDelayTicks = ushort.MaxValue;

    public static void Check(SpecChecker c, string path, ProjectionSpec p, Dictionary<string, int> sizes)
    {
        var hasSource = sizes.TryGetValue(p.Source ?? "", out var sourceSize);
        var hasTarget = sizes.TryGetValue(p.Target ?? "", out var targetSize);
        if (!hasSource)
        {
            c.Error($"{path}.source", $"unknown population '{p.Source}'");
        }

        if (!hasTarget)
        {
            c.Error($"{path}.target", $"unknown population '{p.Target}'");
        }

        c.OneOf($"{path}.channel", p.Channel, SynapseChannels.All, "channel");
        c.Distribution($"{path}.weight", p.Weight, nonNegative: false, onDtGrid: false);
        c.Distribution($"{path}.delay", p.Delay, nonNegative: true, onDtGrid: true);
        if (p.Delay is not null && double.IsFinite(p.Delay.Max) && c.Dt > 0 && p.Delay.Max / c.Dt > MaxDelayTicks)
        {
            // Engines keep a synapse's delay in 16 bits; a longer one would fail the run when its engine is built.
            c.Error($"{path}.delay", $"the longest delay is {p.Delay.Max / c.Dt:G6} ticks; at most {MaxDelayTicks} ticks are supported ({MaxDelayTicks * c.Dt:G6} ms at this dt)");
        }
        if (c.NotNull($"{path}.rule", p.Rule) && hasSource && hasTarget)
        {
            CheckRule(c, $"{path}.rule", p.Rule, sourceSize, targetSize);
        }

        var plastic = p.Plasticity is not null && p.Plasticity.Kind != PlasticityKinds.None;
        if (p.Plasticity is not null)
        {
            CheckPlasticity(c, $"{path}.plasticity", p.Plasticity);
        }

        c.OneOf($"{path}.storage", p.Storage, [SynapseStorageKinds.Sparse, SynapseStorageKinds.Dense], "storage");
        if (p.Storage == SynapseStorageKinds.Dense)
        {
            if (plastic)
            {
                c.Error($"{path}.plasticity", "dense storage does not support plasticity; use sparse storage");
            }

            if (p.Delay is not null && p.Delay.Kind != DistributionKinds.Constant)
            {
                c.Error($"{path}.delay", "dense storage needs a constant delay");
            }

            if (p.Filter is not null)
            {
                c.Error($"{path}.filter", "dense storage does not support filters; use sparse storage");
            }

            if ((long)sourceSize * targetSize > MaxDenseEntries)
            {
                c.Error($"{path}.storage", $"dense storage is for small groups ({sourceSize} x {targetSize} exceeds {MaxDenseEntries} entries)");
            }
        }

        if (p.Filter is not null)
        {
            FilterChecks.Check(c, $"{path}.filter", p.Filter);
        }
    }

    private static void CheckRule(SpecChecker c, string path, ConnectionRuleSpec r, int sourceSize, int targetSize)
    {
        switch (r.Kind)
        {
            case ConnectionRuleKinds.FixedProbability:
                if (c.Finite($"{path}.p", r.P) && (r.P < 0 || r.P > 1))
                {
                    c.Error($"{path}.p", $"probability must be in [0, 1] (got {r.P})");
                }

                break;
            case ConnectionRuleKinds.FixedInDegree:
            case ConnectionRuleKinds.FixedOutDegree:
                if (r.N < 0)
                {
                    c.Error($"{path}.n", $"degree must be >= 0 (got {r.N})");
                }
                else if (r.N > 0 && (r.Kind == ConnectionRuleKinds.FixedInDegree ? sourceSize : targetSize) == 0)
                {
                    c.Error($"{path}.n", "a degree above 0 needs a non-empty population to draw from");
                }
                else if ((long)r.N * (r.Kind == ConnectionRuleKinds.FixedInDegree ? targetSize : sourceSize) > int.MaxValue)
                {
                    // Draws are with replacement, so a degree above the population it draws from is meaningful (multapses:
                    // the cortical microcircuit run at reduced scale keeps its in-degrees that way, as NEST does). What no
                    // engine can hold is more synapses in one projection than its 32-bit synapse index counts.
                    var (side, size) = r.Kind == ConnectionRuleKinds.FixedInDegree ? ("target", targetSize) : ("source", sourceSize);
                    c.Error($"{path}.n", $"degree {r.N} for each of the {size} {side} neurons is {(long)r.N * size:N0} synapses; a projection holds at most {int.MaxValue:N0}");
                }

                break;
            case ConnectionRuleKinds.OneToOne:
                if (sourceSize != targetSize)
                {
                    c.Error($"{path}.kind", $"one_to_one needs populations of equal size (source {sourceSize}, target {targetSize})");
                }

                break;
            case ConnectionRuleKinds.AllToAll:
                break;
            case ConnectionRuleKinds.Explicit:
                if (!c.NotNull($"{path}.pairs", r.Pairs))
                {
                    break;
                }

                for (var i = 0; i < r.Pairs.Count; i++)
                {
                    var pair = r.Pairs[i];
                    if (pair is null || pair.Length != 2)
                    {
                        c.Error($"{path}.pairs[{i}]", "each pair must be [source, target]");
                    }
                    else if ((uint)pair[0] >= (uint)sourceSize || (uint)pair[1] >= (uint)targetSize)
                    {
                        c.Error($"{path}.pairs[{i}]", $"pair [{pair[0]}, {pair[1]}] is outside the populations (sizes {sourceSize}, {targetSize})");
                    }
                }

                break;
            default:
                c.OneOf($"{path}.kind", r.Kind, ConnectionRuleKinds.All, "connection rule");
                break;
        }
    }

    private static void CheckPlasticity(SpecChecker c, string path, PlasticitySpec s)
    {
        c.OneOf($"{path}.kind", s.Kind, [PlasticityKinds.None, PlasticityKinds.Stdp, PlasticityKinds.RStdp], "plasticity");
        c.NonNegative($"{path}.aPlus", s.APlus, "aPlus");
        c.NonNegative($"{path}.aMinus", s.AMinus, "aMinus");
        c.Positive($"{path}.tauPlus", s.TauPlus, "tau");
        c.Positive($"{path}.tauMinus", s.TauMinus, "tau");
        c.Positive($"{path}.tauEligibility", s.TauEligibility, "tau");
        c.Finite($"{path}.learningRate", s.LearningRate);
        if (c.Finite($"{path}.wMin", s.WMin) & c.Finite($"{path}.wMax", s.WMax) && s.WMin > s.WMax)
        {
            c.Error($"{path}.wMin", $"wMin ({s.WMin}) must not exceed wMax ({s.WMax})");
        }
    }
}
