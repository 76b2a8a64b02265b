namespace NeuroMesh.Network;

/// <summary>Checks one population: name, size, model and parameters.</summary>
internal static class PopulationChecks
{
    public static void Check(SpecChecker c, string path, PopulationSpec p)
    {
        if (p.Size < 0)
        {
            c.Error($"{path}.size", $"size must be >= 0 (got {p.Size})");
        }

        c.OneOf($"{path}.model", p.Model, NeuronModels.All, "model");
        if (!c.NotNull($"{path}.params", p.Params))
        {
            return;
        }

        var q = p.Params;
        var pp = $"{path}.params";
        c.Positive($"{pp}.tauM", q.TauM, "tau");
        c.Positive($"{pp}.tauE", q.TauE, "tau");
        c.Positive($"{pp}.tauI", q.TauI, "tau");
        c.Finite($"{pp}.vRest", q.VRest);
        c.Finite($"{pp}.eE", q.EE);
        c.Finite($"{pp}.eI", q.EI);
        c.Finite($"{pp}.bias", q.Bias);
        if (c.Finite($"{pp}.vThreshold", q.VThreshold) & c.Finite($"{pp}.vReset", q.VReset) && q.VReset >= q.VThreshold)
        {
            c.Error($"{pp}.vReset", $"vReset ({q.VReset}) must be below vThreshold ({q.VThreshold})");
        }

        c.NonNegative($"{pp}.refractory", q.Refractory, "refractory period");
        if (q.Refractory >= 0)
        {
            c.MultipleOfDt($"{pp}.refractory", q.Refractory);
        }

        if (q.VInit is not null)
        {
            c.Distribution($"{pp}.vInit", q.VInit, nonNegative: false, onDtGrid: false);
        }
    }
}
