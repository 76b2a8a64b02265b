namespace NeuroMesh.Agents;

/// <summary>
/// The behaviour name of a deployed WebAssembly module: <c>wasm:</c> followed by the SHA-256 of its binary (64 lower-case
/// hex digits). A neuron bound to such a name runs that module, fetched from the cluster's module store by any silo.
/// </summary>
public static class WasmModuleName
{
    /// <summary>The prefix of a module's behaviour name.</summary>
    public const string Prefix = "wasm:";

    /// <summary>The behaviour name of the module whose SHA-256 is <paramref name="hash"/>.</summary>
    /// <exception cref="ArgumentException">The hash is not 64 hex digits.</exception>
    public static string Of(string hash) => Prefix + Normalize(hash, nameof(hash));

    /// <summary>True (with the lower-case hash) when <paramref name="behaviour"/> names a deployed module.</summary>
    public static bool TryParse(string? behaviour, out string hash)
    {
        hash = string.Empty;
        if (behaviour is null || !behaviour.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !IsHash(behaviour[Prefix.Length..]))
        {
            return false;
        }

        hash = behaviour[Prefix.Length..].ToLowerInvariant();
        return true;
    }

    /// <summary>True when <paramref name="hash"/> is 64 hex digits (a SHA-256).</summary>
    public static bool IsHash(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);

    /// <summary>The hash in lower case, or the hash after a <c>wasm:</c> prefix.</summary>
    /// <exception cref="ArgumentException">It is not 64 hex digits; the message says so.</exception>
    public static string Normalize(string? hash, string paramName = "hash")
    {
        if (hash is not null && hash.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            hash = hash[Prefix.Length..];
        }

        return IsHash(hash)
            ? hash!.ToLowerInvariant()
            : throw new ArgumentException($"'{hash}' is not a module hash: a module is named by the SHA-256 of its binary, 64 hex digits.", paramName);
    }
}
