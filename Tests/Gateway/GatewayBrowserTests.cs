using Microsoft.Playwright;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The web UI in a real headless Chromium against a real two-node cluster: a CUBA run deployed from the page draws raster
/// points that grow while it runs and draw nothing past the paused tick until it is stepped, and the cluster view lists both silos.
/// </summary>
public sealed class GatewayBrowserTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-browser-").FullName;
    private NodeProcess? _primary;
    private NodeProcess? _secondary;

    public async Task InitializeAsync()
    {
        var cluster = $"browser-{Guid.NewGuid():N}";
        _primary = await NodeProcess.StartAsync(Settings(cluster, "a"), TimeSpan.FromSeconds(120));
        _secondary = await NodeProcess.StartAsync(Settings(cluster, "b"), TimeSpan.FromSeconds(120), _primary);
    }

    public async Task DisposeAsync()
    {
        if (_secondary is not null)
        {
            await _secondary.DisposeAsync();
        }

        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task The_page_draws_a_live_cuba_raster_that_pause_freezes_and_lists_every_silo()
    {
        var chromium = TestChromium.ExecutablePath();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(_primary!.Http.ToString());
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#example option')].some(o => o.value === 'cuba')");
        await page.SelectOptionAsync("#example", "cuba");
        await page.FillAsync("#run", "browser-cuba");
        await page.FillAsync("#duration", "5000");
        await page.FillAsync("#pace", "1");
        await page.ClickAsync("#deploy");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('Deployed')", null, new() { Timeout = 60_000 });

        // The cluster view lists both silos, each Active.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#cluster tr.silo').length === 2", null, new() { Timeout = 30_000 });
        var rows = await page.Locator("#cluster tr.silo").AllInnerTextsAsync();
        Assert.All(rows, r => Assert.Contains("Active", r, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains($":{_primary.SiloPort}", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains($":{_secondary!.SiloPort}", StringComparison.Ordinal));

        await page.ClickAsync("#start");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('raster').dataset.points) > 0", null, new() { Timeout = 120_000 });
        var first = await Points(page);
        await page.WaitForFunctionAsync($"() => Number(document.getElementById('raster').dataset.points) > {first}", null, new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<int>(LitPixels) > 0, "the raster canvas has no lit pixels");

        // The weight histogram covers both shards' synapses: CUBA's excitatory 1.62 and inhibitory -9.
        await page.WaitForFunctionAsync("() => document.getElementById('weights-note').textContent.includes('-9.000 to 1.620')", null, new() { Timeout = 30_000 });

        // Both silos hold a shard of the run.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#cluster tr.silo')].every(r => r.textContent.includes('neurons'))", null, new() { Timeout = 30_000 });
        Directory.CreateDirectory(Path.Combine(Engine.ExamplesDirectory.Root(), "TestResults"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Engine.ExamplesDirectory.Root(), "TestResults", "gateway-ui.png"), FullPage = true });

        // Pause freezes the raster. The page has drawn every batch up to the paused tick once its last simulated time is
        // there; then a step is the barrier: the stream delivers the run's batches in order, so anything the run had
        // published after the pause would reach the page before the step's batches. The page must go from the paused
        // tick straight to the step's end, and no further.
        await page.ClickAsync("#pause");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('Paused')", null, new() { Timeout = 60_000 });
        var pausedTick = await page.EvaluateAsync<long>("async () => (await api('GET', '/api/runs/browser-cuba')).tick");
        await page.WaitForFunctionAsync($"() => Math.round(state.lastMs / {Dt}) >= {pausedTick}", null, new() { Timeout = 60_000 });
        Assert.Equal(pausedTick, await LastTick(page));
        Assert.True(await Points(page) > first);

        await page.FillAsync("#ticks", "200");
        await page.ClickAsync("#step");
        await page.WaitForFunctionAsync($"() => Math.round(state.lastMs / {Dt}) >= {pausedTick + 200}", null, new() { Timeout = 60_000 });
        Assert.Equal(pausedTick + 200, await LastTick(page));
        Assert.Equal(pausedTick + 200, await page.EvaluateAsync<long>("async () => (await api('GET', '/api/runs/browser-cuba')).tick"));
        Assert.Empty(errors);
    }

    /// <summary>CUBA's time step in ms (as JavaScript), which the page multiplies ticks by.</summary>
    private const string Dt = "0.1";

    /// <summary>The last tick the page has drawn (from its simulated time in ms).</summary>
    private static async Task<long> LastTick(IPage page) => await page.EvaluateAsync<long>($"() => Math.round(state.lastMs / {Dt})");

    private const string LitPixels = """
        () => {
          const c = document.getElementById('raster'), d = c.getContext('2d').getImageData(0, 20, c.width, c.height - 20).data;
          let lit = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 150) lit++;
          return lit;
        }
        """;

    private static async Task<long> Points(IPage page) => long.Parse(await page.EvaluateAsync<string>("() => document.getElementById('raster').dataset.points"), System.Globalization.CultureInfo.InvariantCulture);

    private Dictionary<string, string> Settings(string cluster, string name) => new()
    {
        ["NeuroMesh:Clustering:ClusterId"] = cluster,
        ["NeuroMesh:Clustering:ServiceId"] = cluster,
        ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"{name}.db"),
    };
}
