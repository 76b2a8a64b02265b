namespace NeuroMesh.Cluster;

/// <summary>
/// Keys of grains pinned to one silo: <c>{silo}</c> or <c>{silo}/{rest}</c>, where <c>{silo}</c> is the silo's parsable
/// address (<see cref="SiloAddress.ToParsableString"/>, which never contains '/').
/// </summary>
public static class SiloKey
{
    /// <summary>The key of a grain pinned to <paramref name="silo"/>, with an optional <paramref name="rest"/>.</summary>
    public static string For(SiloAddress silo, string? rest = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return rest is null ? silo.ToParsableString() : $"{silo.ToParsableString()}/{rest}";
    }

    /// <summary>The silo named by a pinned grain's key.</summary>
    /// <exception cref="ArgumentException">The key does not start with a silo address.</exception>
    public static SiloAddress Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var end = key.IndexOf('/', StringComparison.Ordinal);
        var silo = end < 0 ? key : key[..end];
        try
        {
            return SiloAddress.FromParsableString(silo);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"'{key}' is not a silo-pinned grain key: it must start with a silo address such as 127.0.0.1:11111@1 followed by '/' or nothing", nameof(key), e);
        }
    }
}
