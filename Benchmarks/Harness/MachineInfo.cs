using System.Runtime.InteropServices;

namespace NeuroMesh.Benchmarks.Harness;

/// <summary>Describes the machine a benchmark ran on: CPU model, core count, OS and runtime.</summary>
public static class MachineInfo
{
    /// <summary>A one-line description, for example "AMD EPYC 7B13, 2 cores, Debian GNU/Linux 12, .NET 10.0.0".</summary>
    public static string Describe()
        => $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}";

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // Fall through to the generic description.
        }

        return "unknown CPU";
    }
}
