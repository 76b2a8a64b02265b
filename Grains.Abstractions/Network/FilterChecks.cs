namespace NeuroMesh.Network;

/// <summary>Checks one dendritic filter spec.</summary>
internal static class FilterChecks
{
    public static void Check(SpecChecker c, string path, FilterSpec f)
    {
        switch (f.Kind)
        {
            case "type":
                c.OneOf($"{path}.type", f.Type, SynapseChannels.All, "spike type");
                break;
            case "priority_threshold":
                if (f.MinPriority is < 0 or > 255)
                {
                    c.Error($"{path}.minPriority", $"must be in [0, 255] (got {f.MinPriority})");
                }

                break;
            case "payload_prefix":
                if (string.IsNullOrEmpty(f.Prefix) || f.Prefix.Length % 2 != 0 || f.Prefix.Length > 72 || !f.Prefix.All(char.IsAsciiHexDigit))
                {
                    c.Error($"{path}.prefix", "must be 1 to 36 bytes written as an even number of hex digits");
                }

                break;
            case "custom":
                if (string.IsNullOrEmpty(f.Name))
                {
                    c.Error($"{path}.name", "a custom filter needs the name it was registered under");
                }

                break;
            default:
                c.OneOf($"{path}.kind", f.Kind, ["type", "priority_threshold", "payload_prefix", "custom"], "filter");
                break;
        }
    }
}
