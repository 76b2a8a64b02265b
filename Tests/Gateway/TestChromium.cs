namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The Chromium the browser tests drive: test.sh installs Debian's <c>chromium</c> when missing and exports its path in
/// <see cref="Variable"/> (no Playwright browser download). Under CI a missing browser is a failure; elsewhere the
/// browser tests are skipped with the reason.
/// </summary>
internal static class TestChromium
{
    public const string Variable = "NEUROMESH_TEST_CHROMIUM";

    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path))
        {
            // Debian's package, when present, also serves a plain `dotnet test` outside test.sh.
            path = new[] { "/usr/lib/chromium/chromium", "/usr/bin/chromium" }.FirstOrDefault(File.Exists);
        }

        if (path is not null && File.Exists(path))
        {
            return path;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{Variable} is not set (or names no file) under CI=true and Debian's chromium is not installed; the browser tests must run. Run them through ./test.sh, which installs chromium.");
        }

        Skip.If(true, $"no Chromium: set {Variable} to a Chromium executable or install Debian's chromium (./test.sh does)");
        return string.Empty;
    }
}
