using System.Security.Cryptography;
using Microsoft.Playwright;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The web UI over HTTPS in a real headless Chromium: the browser trusts the node's certificate only through its pinned
/// public key (<c>--ignore-certificate-errors-spki-list</c>, one key, not every certificate), and a CUBA run deployed and
/// started from the page draws raster points from the spike stream over TLS. A browser without the pin cannot open the page.
/// </summary>
[Collection(HttpsGatewayCollection.Name)]
public sealed class GatewayHttpsBrowserTests(HttpsGatewayNode fixture)
{
    [SkippableFact]
    public async Task The_page_over_https_deploys_a_run_and_draws_its_live_raster_and_an_unpinned_browser_is_refused()
    {
        var chromium = TestChromium.ExecutablePath();
        var pin = Convert.ToBase64String(SHA256.HashData(fixture.Server.PublicKey.ExportSubjectPublicKeyInfo()));
        using var playwright = await Playwright.CreateAsync();

        await using (var unpinned = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true }))
        {
            var refused = await Assert.ThrowsAsync<PlaywrightException>(async () => await (await unpinned.NewPageAsync()).GotoAsync(fixture.Node.Https.ToString()));
            Assert.Contains("ERR_CERT_AUTHORITY_INVALID", refused.Message, StringComparison.Ordinal);
        }

        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = [$"--ignore-certificate-errors-spki-list={pin}"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var response = await page.GotoAsync(fixture.Node.Https.ToString());
        Assert.Equal(200, response!.Status);
        Assert.Equal("max-age=31536000", await response.HeaderValueAsync("strict-transport-security"));

        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#example option')].some(o => o.value === 'cuba')");
        await page.FillAsync("#apikey", HttpsGatewayNode.Key);
        await page.SelectOptionAsync("#example", "cuba");
        await page.FillAsync("#run", "browser-https");
        await page.FillAsync("#duration", "3000");
        await page.FillAsync("#pace", "1");
        await page.ClickAsync("#deploy");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('Deployed')", null, new() { Timeout = 60_000 });
        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('raster').dataset.points) > 0", null, new() { Timeout = 120_000 });
        Assert.Equal("https:", await page.EvaluateAsync<string>("() => location.protocol"));
        Assert.Empty(errors);
    }
}
