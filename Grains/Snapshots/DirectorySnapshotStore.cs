using System.Globalization;

namespace NeuroMesh.Snapshots;

/// <summary>
/// Snapshots as files: <c>{root}/{run id, escaped}/{tick:D12}.nmsnap</c>. A save writes a temporary file, flushes it to
/// the disk and renames it over the old one, so a crash leaves either whole file. The embedded default.
/// </summary>
public sealed class DirectorySnapshotStore(string root) : ISnapshotStore
{
    private const string Extension = ".nmsnap";

    /// <summary>The folder that holds one folder per run.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public string Description => $"directory {Root}";

    /// <inheritdoc />
    public async Task SaveAsync(string runId, long tick, byte[] snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var folder = RunFolder(runId);
        Directory.CreateDirectory(folder);
        var path = FileOf(runId, tick);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await file.WriteAsync(snapshot, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> LoadAsync(string runId, long tick, CancellationToken cancellationToken = default)
    {
        var path = FileOf(runId, tick);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string runId, long tick, CancellationToken cancellationToken = default)
    {
        File.Delete(FileOf(runId, tick));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        var folder = RunFolder(runId);
        IReadOnlyList<long> ticks = !Directory.Exists(folder) ? [] : [.. Directory.EnumerateFiles(folder, "*" + Extension)
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1)
            .Where(t => t >= 0)
            .Order()];
        return Task.FromResult(ticks);
    }

    /// <inheritdoc />
    public Task<long> SizeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var folder = RunFolder(runId);
        return Task.FromResult(!Directory.Exists(folder) ? 0 : Directory.EnumerateFiles(folder, "*" + Extension).Sum(f => new FileInfo(f).Length));
    }

    private string RunFolder(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return Path.Combine(Root, Uri.EscapeDataString(runId));
    }

    private string FileOf(string runId, long tick)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        return Path.Combine(RunFolder(runId), tick.ToString("D12", CultureInfo.InvariantCulture) + Extension);
    }
}
