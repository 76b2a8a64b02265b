using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NeuroMesh.Cli;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Simulation;

namespace NeuroMesh.Tests.Client;

/// <summary>The neuromesh CLI run in this process against a real two-silo embedded cluster: exit codes, --json, files.</summary>
public sealed class NeuroMeshCliTests(ClientClusterFixture fixture) : IClassFixture<ClientClusterFixture>
{
    /// <summary>Deploys the test spec as <paramref name="run"/> and runs it to the end with the CLI.</summary>
    private async Task FinishedRun(string run)
    {
        var deployed = await fixture.Cli("deploy", fixture.SpecFile(), "--run", run, "--silos", "2");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        var ran = await fixture.Cli("run", run, "--chunk", "200");
        Assert.True(ran.ExitCode == 0, ran.ToString());
    }

    [Fact]
    public async Task Deploy_then_run_with_json_reports_the_single_engine_hash()
    {
        var deployed = await fixture.Cli("deploy", fixture.SpecFile(), "--run", "cli-run", "--json");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        var status = deployed.Json();
        Assert.Equal(("cli-run", "deployed", fixture.Spec.TotalTicks), (status.GetProperty("runId").GetString(), status.GetProperty("phase").GetString(), status.GetProperty("totalTicks").GetInt64()));

        var ran = await fixture.Cli("run", "cli-run", "--ticks", "250", "--json");
        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Equal((250L, "paused"), (ran.Json().GetProperty("status").GetProperty("tick").GetInt64(), ran.Json().GetProperty("status").GetProperty("phase").GetString()));

        var rest = await fixture.Cli("run", "cli-run", "--json");
        Assert.True(rest.ExitCode == 0, rest.ToString());
        var summary = rest.Json();
        Assert.Equal(fixture.ExpectedHash, summary.GetProperty("status").GetProperty("spikeTrainHash").GetString());
        Assert.Equal(fixture.Spec.TotalTicks - 250, summary.GetProperty("ticksRun").GetInt64());
        Assert.True(summary.GetProperty("realTimeFactor").GetDouble() > 0);
        Assert.Equal(fixture.ExpectedSpikes.Length / 1000.0 / 0.06, summary.GetProperty("meanRateHz").GetDouble(), 6);

        var text = await fixture.Cli("stats", "cli-run");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"spikes           {fixture.ExpectedSpikes.Length.ToString("N0", CultureInfo.InvariantCulture)}", text.Out);
        Assert.Contains($"spike-train hash {fixture.ExpectedHash}", text.Out);

        var stats = (await fixture.Cli("stats", "cli-run", "--json")).Json();
        Assert.Equal(("finished", fixture.ExpectedSpikes.Length), (stats.GetProperty("status").GetProperty("phase").GetString(), stats.GetProperty("status").GetProperty("spikes").GetInt32()));
        Assert.Equal(2, stats.GetProperty("shards").GetArrayLength());

        var again = await fixture.Cli("run", "cli-run");
        Assert.Equal(ExitCodes.Failed, again.ExitCode);
        Assert.Contains("is finished at tick 600; nothing is left to run", again.Err);
    }

    [Fact]
    public async Task Export_writes_csv_rows_and_an_npy_array_equal_to_the_runs_spikes()
    {
        await FinishedRun("cli-export");
        var csvPath = Path.Combine(fixture.Directory, "spikes.csv");
        var csv = await fixture.Cli("export", "cli-export", "--out", csvPath, "--json");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(fixture.ExpectedSpikes.Length, csv.Json().GetProperty("spikes").GetInt32());
        var lines = File.ReadAllLines(csvPath);
        Assert.Equal("tick,time_ms,neuron", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(fixture.ExpectedSpikes.Select(s => (s.Tick, s.Neuron)), rows.Select(r => (long.Parse(r[0], CultureInfo.InvariantCulture), int.Parse(r[2], CultureInfo.InvariantCulture))));
        Assert.All(rows, r => Assert.Equal(long.Parse(r[0], CultureInfo.InvariantCulture) * fixture.Spec.Dt, double.Parse(r[1], CultureInfo.InvariantCulture), 9));

        var npyPath = Path.Combine(fixture.Directory, "spikes.npy");
        var npy = await fixture.Cli("export", "cli-export", "--out", npyPath, "--neurons", "0-99,900-999", "--from-tick", "100", "--to-tick", "500");
        Assert.True(npy.ExitCode == 0, npy.ToString());
        var expected = fixture.ExpectedSpikes.Where(s => s.Tick is >= 100 and < 500 && s.Neuron is < 100 or >= 900).Select(s => (s.Tick, (long)s.Neuron)).ToArray();
        var bytes = File.ReadAllBytes(npyPath);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal($"{{'descr': '<i8', 'fortran_order': False, 'shape': ({expected.Length}, 2), }}", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);
        var data = bytes[(10 + headerLength)..];
        Assert.Equal(expected.Length * 16, data.Length);
        var values = Enumerable.Range(0, expected.Length).Select(i => (BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(16 * i)), BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan((16 * i) + 8)))).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, values);
    }

    [Fact]
    public async Task Raster_writes_a_png_whose_chunks_check_and_whose_pixels_hold_the_spikes()
    {
        await FinishedRun("cli-raster");
        var path = Path.Combine(fixture.Directory, "raster.png");
        var result = await fixture.Cli("raster", "cli-raster", "--out", path, "--width", "300", "--height", "200", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal((300, 200, fixture.ExpectedSpikes.Length), (result.Json().GetProperty("width").GetInt32(), result.Json().GetProperty("height").GetInt32(), result.Json().GetProperty("spikes").GetInt32()));

        var png = File.ReadAllBytes(path);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            Assert.Equal(Crc32Reference(typeAndData), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            chunks.Add((type, png[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }

        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal((300, 200, (byte)8, (byte)2), (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)), ihdr[8], ihdr[9]));
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var rows = inflated.ToArray();
        Assert.Equal(200 * (1 + (300 * 3)), rows.Length);
        bool Black(int x, int y) => rows[(y * 901) + 1 + (x * 3)] == 0;
        var marked = new HashSet<(int, int)>();
        foreach (var s in fixture.ExpectedSpikes)
        {
            var (x, y) = ((int)(s.Tick * 300 / fixture.Spec.TotalTicks), 199 - (int)((long)s.Neuron * 200 / 1000));
            Assert.True(Black(x, y), $"the spike of neuron {s.Neuron} at tick {s.Tick} should be black at ({x}, {y})");
            marked.Add((x, y));
        }

        Assert.All(Enumerable.Range(0, 200), y => Assert.Equal(0, rows[y * 901])); // filter byte 0 on every row
        var black = Enumerable.Range(0, 200).Sum(y => Enumerable.Range(0, 300).Count(x => Black(x, y)));
        Assert.Equal(marked.Count, black); // and nothing else is drawn (one tick is one pixel column at most here)
    }

    [Fact]
    public async Task Tap_prints_the_live_spikes_of_the_neurons_asked_for()
    {
        var deployed = await fixture.Cli("deploy", fixture.SpecFile(), "--run", "cli-tap");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());

        var tap = await fixture.Cli("tap", "cli-tap", "--neurons", "0-199", "--start", "--timeout", "120", "--json");
        Assert.True(tap.ExitCode == 0, tap.ToString());
        var lines = tap.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var expected = fixture.ExpectedSpikes.Where(s => s.Neuron < 200).Select(s => (s.Tick, s.Neuron)).ToArray();
        Assert.Equal(expected, lines.Select(l => (l.GetProperty("tick").GetInt64(), l.GetProperty("neuron").GetInt32())));
        Assert.All(lines, l => Assert.Equal(Math.Round(l.GetProperty("tick").GetInt64() * fixture.Spec.Dt, 9), l.GetProperty("timeMs").GetDouble()));
        Assert.Contains("missed ticks 0", tap.Err);
    }

    [Fact]
    public async Task Tap_on_a_finished_run_ends_by_itself_with_exit_0()
    {
        await FinishedRun("cli-tap-finished");

        // No --timeout: the tap must see the run is finished and end; the wait only guards against a hang.
        var tap = await fixture.Cli("tap", "cli-tap-finished").WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(tap.ExitCode == 0, tap.ToString());
        Assert.Equal("tick,time_ms,neuron", tap.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single());
        Assert.Contains("tapped 0 spike(s) of run cli-tap-finished", tap.Err);
    }

    [Fact]
    public async Task Inject_checkpoint_and_replay_work_on_a_paused_run()
    {
        Assert.Equal(0, (await fixture.Cli("deploy", fixture.SpecFile(), "--run", "cli-inject")).ExitCode);
        Assert.Equal(0, (await fixture.Cli("run", "cli-inject", "--ticks", "200")).ExitCode);

        var inject = await fixture.Cli("inject", "cli-inject", "--neurons", "0-9", "--weight", "30", "--tick", "300", "--json");
        Assert.True(inject.ExitCode == 0, inject.ToString());
        Assert.Equal(10, inject.Json().GetProperty("inputs").GetInt32());

        var past = await fixture.Cli("inject", "cli-inject", "--neurons", "3", "--weight", "1", "--tick", "100");
        Assert.Equal(ExitCodes.BadInput, past.ExitCode);
        Assert.Contains("tick 100 is outside [200, 600)", past.Err);

        Assert.Equal(0, (await fixture.Cli("run", "cli-inject", "--ticks", "200")).ExitCode);
        var checkpoints = await fixture.Cli("checkpoint", "cli-inject", "--list", "--json");
        Assert.True(checkpoints.ExitCode == 0, checkpoints.ToString());
        Assert.Equal([200L, 400L], checkpoints.Json().GetProperty("checkpoints").EnumerateArray().Select(c => c.GetProperty("tick").GetInt64()));

        var replay = await fixture.Cli("replay", "cli-inject", "--silos", "2", "--json");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal((400L, 2, 2), (replay.Json().GetProperty("tick").GetInt64(), replay.Json().GetProperty("verified").GetArrayLength(), replay.Json().GetProperty("silos").GetInt32()));
        Assert.Equal(checkpoints.Json().GetProperty("latest").GetProperty("spikeTrainHash").GetString(), replay.Json().GetProperty("spikeTrainHash").GetString());
        // The input changed the spike train: it differs from the uninjected engine's over the same ticks.
        Assert.NotEqual(fixture.ExpectedSpikes.Count(s => s.Tick < 400), replay.Json().GetProperty("spikes").GetInt64());

        var beyond = await fixture.Cli("replay", "cli-inject", "--to-tick", "500");
        Assert.Equal(ExitCodes.BadInput, beyond.ExitCode);
        Assert.Contains("--to-tick 500 is past run 'cli-inject''s log, which ends at tick 400", beyond.Err);
    }

    [Fact]
    public async Task Reward_by_population_and_by_neurons_reaches_R_STDP_as_one_engine_and_bad_rewards_are_refused()
    {
        var spec = RewardSpec.Unrewarded(200);
        Assert.Equal(0, (await fixture.Cli("deploy", fixture.SpecFile(spec, "rewarded.json"), "--run", "cli-reward", "--silos", "2")).ExitCode);
        Assert.Equal(0, (await fixture.Cli("run", "cli-reward", "--ticks", "800")).ExitCode);

        var byPopulation = await fixture.Cli("reward", "cli-reward", "--population", RewardSpec.Target, "--amount", "30", "--json");
        Assert.True(byPopulation.ExitCode == 0, byPopulation.ToString());
        Assert.Equal(800L, byPopulation.Json().GetProperty("status").GetProperty("tick").GetInt64());
        var byNeurons = await fixture.Cli("reward", "cli-reward", "--neurons", "150-174", "--amount", "40", "--tick", "1300");
        Assert.True(byNeurons.ExitCode == 0, byNeurons.ToString());
        Assert.Contains("rewarded         40 to 150-174 of run cli-reward (at tick 1,300)", byNeurons.Out);

        var both = await fixture.Cli("reward", "cli-reward", "--neurons", "150", "--population", RewardSpec.Target, "--amount", "1");
        Assert.Equal(ExitCodes.BadInput, both.ExitCode);
        Assert.Contains("Name either --population or --neurons, not both.", both.Err);
        var nowhere = await fixture.Cli("reward", "cli-reward", "--population", "critic", "--amount", "1");
        Assert.Equal(ExitCodes.BadInput, nowhere.ExitCode);
        Assert.Contains("Population 'critic' receives no R-STDP synapse", nowhere.Err);
        var injected = await fixture.Cli("inject", "cli-reward", "--neurons", "5", "--weight", "1", "--channel", "modulatory");
        Assert.Equal(ExitCodes.BadInput, injected.ExitCode);
        Assert.Contains("neuron 5 receives no R-STDP synapse", injected.Err);

        var ran = await fixture.Cli("run", "cli-reward", "--json");
        Assert.True(ran.ExitCode == 0, ran.ToString());
        ExternalInput[] inputs =
        [
            .. Enumerable.Range(RewardSpec.First, RewardSpec.Count).Select(n => new ExternalInput(800, n, 30, SpikeType.Modulatory)),
            .. Enumerable.Range(150, 25).Select(n => new ExternalInput(1300, n, 40, SpikeType.Modulatory)),
        ];
        var (count, hash, _) = SingleEngine.WithInputs(spec, inputs);
        Assert.NotEqual(SingleEngine.Reference(spec).Hash, hash);
        var status = ran.Json().GetProperty("status");
        Assert.Equal((count, hash), (status.GetProperty("spikes").GetInt64(), status.GetProperty("spikeTrainHash").GetString()));
    }

    [Fact]
    public async Task Snapshots_are_exported_imported_forked_and_a_run_rescaled_with_the_single_engine_hash()
    {
        Assert.Equal(0, (await fixture.Cli("deploy", fixture.SpecFile(), "--run", "cli-snap", "--silos", "2")).ExitCode);
        var ran = await fixture.Cli("run", "cli-snap", "--ticks", "500", "--chunk", "50");
        Assert.True(ran.ExitCode == 0, ran.ToString()); // 10 checkpoints: the default writes a snapshot at tick 500

        var path = Path.Combine(fixture.Directory, "cli-snap-500.nmsnap");
        var exported = await fixture.Cli("snapshot", "export", "cli-snap", path, "--at", "500");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Equal("NMSNAP", Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 6));
        var imported = await fixture.Cli("snapshot", "import", path, "--run", "cli-imported", "--silos", "1", "--json");
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(500, imported.Json().GetProperty("tick").GetInt64());
        var forked = await fixture.Cli("fork", "cli-snap", "--at", "500", "--run", "cli-forked");
        Assert.True(forked.ExitCode == 0, forked.ToString());
        var rescaled = await fixture.Cli("rescale", "cli-snap", "--silos", "1", "--json");
        Assert.True(rescaled.ExitCode == 0, rescaled.ToString());
        Assert.Equal(1, rescaled.Json().GetProperty("silos").GetInt32());

        foreach (var run in new[] { "cli-snap", "cli-imported", "cli-forked" })
        {
            var rest = await fixture.Cli("run", run, "--json");
            Assert.True(rest.ExitCode == 0, rest.ToString());
            Assert.Equal(fixture.ExpectedHash, rest.Json().GetProperty("status").GetProperty("spikeTrainHash").GetString());
        }

        var missing = await fixture.Cli("fork", "cli-snap", "--at", "123", "--run", "cli-fork-missing");
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("no snapshot of tick 123", missing.Err);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        var truncated = await fixture.Cli("snapshot", "import", path, "--run", "cli-import-bad");
        Assert.True(truncated.ExitCode == ExitCodes.BadInput, truncated.ToString());
        Assert.Contains("truncated", truncated.Err);
    }

    [Fact]
    public async Task Agents_registered_with_the_cli_are_found_by_capability()
    {
        var registered = await fixture.Cli("agents", "register", "--neuron", "7001", "--name", "planner", "--region", "clitest/planning", "--capability", "plan", "--capability", "route");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Equal(0, (await fixture.Cli("agents", "register", "--neuron", "7002", "--name", "mapper", "--region", "clitest/maps", "-c", "route")).ExitCode);

        var found = await fixture.Cli("agents", "find", "--capability", "route", "--within", "clitest", "--json");
        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Equal([7001u, 7002u], found.Json().GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("neuronId").GetUInt32()));
        var plan = await fixture.Cli("agents", "find", "--capability", "plan", "--within", "clitest");
        Assert.Contains("7001  planner", plan.Out);
        Assert.DoesNotContain("mapper", plan.Out);

        var nowhere = await fixture.Cli("agents", "find", "--capability", "route", "--within", "no/such/region");
        Assert.Equal(ExitCodes.NotFound, nowhere.ExitCode);
        Assert.Contains("region 'no/such/region' not found", nowhere.Err);
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("run")]
    [InlineData("checkpoint")]
    [InlineData("replay")]
    [InlineData("tap")]
    public async Task An_unknown_run_exits_3_naming_it(string command)
    {
        var result = await fixture.Cli(command, "no-such-run", "--json");
        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("run 'no-such-run' not found", result.Err);
        Assert.Equal(ExitCodes.NotFound, result.Json().GetProperty("error").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Bad_input_exits_2_with_a_message_naming_the_cause()
    {
        await FinishedRun("cli-bad");
        var invalid = Path.Combine(fixture.Directory, "invalid.json");
        File.WriteAllText(invalid, fixture.Spec.ToJson().Replace("\"dt\": 0.1", "\"dt\": -1", StringComparison.Ordinal));
        var cases = new (string[] Args, string Message)[]
        {
            (["deploy", invalid], "$.dt"),
            (["deploy", Path.Combine(fixture.Directory, "missing.json")], "does not exist"),
            (["export", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.csv"), "--from-tick", "300", "--to-tick", "100"], "tick range [300, 100) is empty"),
            (["export", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.csv"), "--to-tick", "700"], "goes past run 'cli-bad''s tick 600"),
            (["export", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.csv"), "--neurons", "9-3"], "'9-3' in neuron list '9-3' is not a neuron id or an ascending range"),
            (["export", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.csv"), "--neurons", "5000-5001"], "outside run 'cli-bad''s network of 1000 neuron(s)"),
            (["export", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.txt")], "cannot tell the format of 'x.txt'"),
            (["raster", "cli-bad", "--out", Path.Combine(fixture.Directory, "x.png"), "--width", "0"], "--width and --height must be in [16, 8192] (got 0×500)"),
            (["run", "cli-bad", "--ticks", "0"], "--ticks must be 1 or more (got 0)"),
            (["stats", "cli-bad", "--no-such-option"], "--no-such-option"),
            (["stats", "cli-bad", "--gateway", "not-an-endpoint"], "must be an IP endpoint"),
            (["stats", "cli-bad", "--connect-attempts", "0"], "--connect-attempts must be 1 or more (got 0)"),
            (["stats", "cli-bad", "--retry-delay-ms", "-1"], "--retry-delay-ms must be in [0, 60000] (got -1)"),
        };
        foreach (var (args, message) in cases)
        {
            var result = await fixture.Cli(args);
            Assert.True(result.ExitCode == ExitCodes.BadInput && result.Err.Contains(message, StringComparison.Ordinal), $"{string.Join(' ', args)}: expected exit 2 naming '{message}', got {result}");
        }
    }

    [Fact]
    public async Task No_gateway_exits_4_naming_the_endpoint()
    {
        var port = LoopbackPorts.Free(1)[0];
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await NeuroMeshCli.RunAsync(["stats", "any", "--gateway", $"127.0.0.1:{port}", "--connect-attempts", "2", "--retry-delay-ms", "100"], output, error);

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains($"No NeuroMesh gateway answered at 127.0.0.1:{port} after 2 attempt(s)", error.ToString());
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await NeuroMeshCli.RunAsync(["--help"], output, error));
        foreach (var command in new[] { "deploy", "run", "inject", "tap", "stats", "agents", "checkpoint", "replay", "export", "raster" })
        {
            Assert.Contains(command, output.ToString());

            // The root description names most commands too: each must also be a row of the command list.
            Assert.Matches($@"(?m)^\s+{command}\s", output.ToString());
        }
    }

    private static uint Crc32Reference(ReadOnlySpan<byte> data)
    {
        // Bitwise CRC-32 (no table), independent of System.IO.Hashing.Crc32 that the CLI uses.
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
