using System.Net;
using System.Net.Http.Headers;

namespace CallWaiting.Cli.Models;

/// <summary>
/// Downloads one repository file into a <c>.part</c> file, resuming what an earlier try left (HTTP Range), retrying an
/// interrupted transfer, and verifying the listed size and checksum before the caller may rename it into place.
/// </summary>
internal sealed class ModelDownloader(HttpClient http)
{
    private const int Attempts = 3;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Downloads <paramref name="url"/> into <paramref name="part"/> and checks it against <paramref name="expected"/>.</summary>
    /// <exception cref="ModelDownloadException">The transfer failed (the part is kept), or the file is not the listed one (the part is deleted).</exception>
    public async Task DownloadAsync(Uri url, string part, ManifestFile expected, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(expected.Path);
        for (var attempt = 1; ; attempt++)
        {
            var progress = new DownloadProgress(name, expected.Size);
            try
            {
                await TransferAsync(url, part, expected.Size, progress, cancellationToken);
                progress.Finish();
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                if (attempt == Attempts)
                    throw new ModelDownloadException($"downloading {name} failed ({e.Message}); {Path.GetFileName(part)} ({Held(part)} bytes) is kept: run the same command to resume", true, e);
                await Console.Error.WriteLineAsync($"{name}: {e.Message}; resuming from byte {Held(part)} (try {attempt + 1} of {Attempts})");
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
            }
        }
        Verify(part, expected, name);
    }

    private async Task TransferAsync(Uri url, string part, long size, DownloadProgress progress, CancellationToken cancellationToken)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > size)
        {
            File.Delete(part);
            have = 0;
        }
        if (have == size) return;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(IdleTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(part);
                throw new HttpRequestException("the server refused to resume; starting over");
            }
            if (!response.IsSuccessStatusCode)
                throw new ModelDownloadException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}", false);
            // A server that ignores Range sends the whole file again (200): start the part over.
            if (response.StatusCode != HttpStatusCode.PartialContent) have = 0;
            else if (response.Content.Headers.ContentRange?.From != have)
                throw new HttpRequestException($"the server sent range {response.Content.Headers.ContentRange} for bytes {have}-");
            var total = response.StatusCode == HttpStatusCode.PartialContent
                ? response.Content.Headers.ContentRange?.Length
                : response.Content.Headers.ContentLength;
            if (total is { } length && length != size)
            {
                File.Delete(part);
                throw new ModelDownloadException($"{Path.GetFileName(url.AbsolutePath)}: size mismatch: the listing says {size} bytes, the server's file has {length}", false);
            }

            await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
            await using var file = new FileStream(part, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            progress.Report(have);
            int read;
            while ((read = await body.ReadAsync(buffer, idle.Token)) > 0)
            {
                idle.CancelAfter(IdleTimeout);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                have += read;
                progress.Report(have);
            }
            file.Flush(flushToDisk: true);
            if (have < size) throw new IOException($"the connection closed after {have} of {size} bytes");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no data for {IdleTimeout.TotalSeconds:0} s");
        }
    }

    private static void Verify(string part, ManifestFile expected, string name)
    {
        var size = new FileInfo(part).Length;
        string? problem = null;
        if (size != expected.Size) problem = $"size mismatch: the listing says {expected.Size} bytes, the server sent {size}";
        else if (expected.Checksum.Of(part) is var actual && !expected.Checksum.Matches(actual))
            problem = $"checksum mismatch: the listing's {expected.Checksum.Name} is {expected.Checksum.Hex}, the download's is {actual}";
        if (problem is null) return;
        File.Delete(part);
        throw new ModelDownloadException($"{name}: {problem}", false);
    }

    private static long Held(string part) => File.Exists(part) ? new FileInfo(part).Length : 0;
}
