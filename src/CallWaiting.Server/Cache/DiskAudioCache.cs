using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Cache;

/// <summary>
/// The optional persistent tier: one file per entry under <c>{CALLWAITING_DATA_DIR}/cache/ab/abcd….cwa</c>, bounded in total
/// bytes. Files are written whole and renamed into place, so readers never see half an entry; past the budget the
/// least recently used files (by modification time, refreshed on every hit) are deleted down to 90% of it.
/// </summary>
public sealed partial class DiskAudioCache : IAudioCacheTier
{
    private const string Extension = ".cwa";
    private readonly string _root;
    private readonly long _maxBytes;
    private readonly ILogger<DiskAudioCache> _logger;
    private readonly SemaphoreSlim _trimming = new(1, 1);
    private long _bytes;

    /// <summary>Opens (creating if needed) the cache folder and counts what it already holds.</summary>
    public DiskAudioCache(string root, long maxBytes, ILogger<DiskAudioCache> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _root = Path.GetFullPath(root);
        _maxBytes = maxBytes;
        _logger = logger;
        Directory.CreateDirectory(_root);
        _bytes = Files().Sum(f => f.Length);
    }

    /// <inheritdoc />
    public string Name => "disk";

    /// <summary>Bytes the folder's entries hold, as this process last counted them.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc />
    public async ValueTask<AudioCacheEntry?> GetAsync(AudioCacheKey key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return AudioCacheEntry.Deserialize(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(_logger, "read", path, e.Message);
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetAsync(AudioCacheKey key, AudioCacheEntry entry, CancellationToken cancellationToken)
    {
        var bytes = entry.Serialize();
        if (bytes.Length > _maxBytes) return false;
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            var replaced = File.Exists(path) ? new FileInfo(path).Length : 0;
            File.Move(temporary, path, overwrite: true);
            if (Interlocked.Add(ref _bytes, bytes.Length - replaced) > _maxBytes) await TrimAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            LogFailed(_logger, "write", path, e.Message);
            TryDelete(temporary);
            return false;
        }
    }

    private async Task TrimAsync()
    {
        // One trim at a time; a writer that finds one running leaves the work to it.
        if (!await _trimming.WaitAsync(0).ConfigureAwait(false)) return;
        try
        {
            var files = Files().OrderBy(f => f.LastWriteTimeUtc).ToList();
            var total = files.Sum(f => f.Length);
            var target = _maxBytes / 10 * 9;
            foreach (var file in files)
            {
                if (total <= target) break;
                if (TryDelete(file.FullName)) total -= file.Length;
            }
            Interlocked.Exchange(ref _bytes, total);
        }
        finally
        {
            _trimming.Release();
        }
    }

    private IEnumerable<FileInfo> Files() =>
        new DirectoryInfo(_root).EnumerateFiles("*" + Extension, SearchOption.AllDirectories);

    private string PathOf(AudioCacheKey key)
    {
        var name = key.ToString();
        return Path.Combine(_root, name[..2], name + Extension);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk audio cache could not {Operation} {Path}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string operation, string path, string reason);
}
