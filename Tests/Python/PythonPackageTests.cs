using System.Text.RegularExpressions;

namespace NeuroMesh.Tests.Python;

/// <summary>
/// The <c>neuromesh</c> Python package and its PyNN backend, installed offline (<see cref="PythonEnvironment"/>),
/// running their unittest suites (python/tests/) against live embedded nodes that <c>neuromesh.local()</c> starts from
/// the silo built next to these tests. Each suite must run every test it defines, skip none, and pass.
/// </summary>
[Collection(PythonCollection.Name)]
public sealed partial class PythonPackageTests(PythonEnvironment python)
{
    [Fact]
    public async Task The_package_installs_offline_and_pyNN_neuromesh_resolves_through_its_pth_file()
    {
        Assert.Contains("Successfully installed neuromesh-0.1.0", python.InstallOutput, StringComparison.Ordinal);
        var (code, output) = await python.RunAsync(
            [
                "-c",
                "import neuromesh, pyNN, pyNN.neuromesh, pyNN_neuromesh, os; "
                + "assert pyNN.neuromesh is pyNN_neuromesh; "
                + "from pyNN.neuromesh import simulator; import pyNN_neuromesh.simulator as s; assert simulator is s; "
                + "assert 'site-packages' in neuromesh.__file__, neuromesh.__file__; "
                + "print(neuromesh.__version__, pyNN.__version__, simulator.name)",
            ],
            TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.Contains("0.1.0 0.10.1 NeuroMesh", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_passes_every_call_and_error_mapping_against_live_nodes()
        => await RunSuite("test_client.py", TimeSpan.FromMinutes(6));

    [Fact]
    public async Task The_pynn_backend_passes_every_cell_type_connector_recorder_and_refusal_on_two_silos()
        => await RunSuite("test_pynn.py", TimeSpan.FromMinutes(9));

    [Fact]
    public async Task The_same_scripts_match_pyNN_brian2_single_cells_and_brian2_and_neuron_cuba_statistics()
        => await RunSuite("test_brian2.py", TimeSpan.FromMinutes(10));

    [Fact]
    public async Task The_cuba_example_runs_on_two_silos_plots_its_raster_and_replays_by_run_id()
    {
        var example = Path.Combine(python.Root, "examples", "python", "pynn_cuba.py");
        var png = Path.Combine(python.WorkDir, "cuba.png");
        var json = Path.Combine(python.WorkDir, "cuba.json");
        var (code, output) = await python.RunAsync(
            [
                example, "--simulator", "neuromesh", "--silos", "2", "--size", "500", "--duration", "300",
                "--run-id", "example-cuba", "--replay", "--plot", png, "--json", json,
            ],
            TimeSpan.FromMinutes(6));
        Assert.True(code == 0, output);
        Assert.Matches(RateLine(), output);
        Assert.Contains("run example-cuba on 2 silo(s)", output, StringComparison.Ordinal);
        Assert.Contains("replayed example-cuba to tick 3000: same spike-train hash", output, StringComparison.Ordinal);

        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var root = summary.RootElement;
        Assert.Equal(2, root.GetProperty("silos").GetInt32());
        Assert.Equal(root.GetProperty("spike_train_hash").GetString(), root.GetProperty("replay_hash").GetString());
        Assert.True(root.GetProperty("E").GetProperty("spikes").GetInt32() > 0, output);

        // A real PNG (signature, IHDR of the 900 x 600 figure), not an empty file.
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"{png} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(900, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(600, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    private async Task RunSuite(string file, TimeSpan within)
    {
        var tests = Path.Combine(python.Root, "python", "tests");
        var defined = TestDefinition().Matches(File.ReadAllText(Path.Combine(tests, file))).Count;
        Assert.True(defined > 0, $"{file} defines no tests");
        var (code, output) = await python.RunAsync(
            ["-m", "unittest", "discover", "-v", "-s", tests, "-p", file], within);
        Assert.True(code == 0, $"{file} failed (exit {code}):\n{output}");
        var ran = RanLine().Match(output);
        Assert.True(ran.Success, output);
        Assert.Equal(defined, int.Parse(ran.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches(OkLine(), output);
        Assert.DoesNotContain("skipped", output, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^E: \d+\.\d+ Hz, CV ", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^    def test_", RegexOptions.Multiline)]
    private static partial Regex TestDefinition();

    [GeneratedRegex(@"^Ran (\d+) tests? in ", RegexOptions.Multiline)]
    private static partial Regex RanLine();

    [GeneratedRegex(@"^OK$", RegexOptions.Multiline)]
    private static partial Regex OkLine();
}
