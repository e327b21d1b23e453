using System.Collections.Concurrent;
using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Auth;

/// <summary>
/// Collects the last use of each key in memory (one dictionary write per request) and writes them to
/// api_keys.last_used_at in one batch every few seconds and at shutdown, so the request path never waits on it.
/// </summary>
public sealed partial class LastUsedTracker(ApiKeyRepository keys, IOptions<ApiOptions> options, TimeProvider time, ILogger<LastUsedTracker> logger)
    : BackgroundService
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    /// <summary>Notes that <paramref name="apiKeyId"/> was used now.</summary>
    public void Touch(Guid apiKeyId) => _pending[apiKeyId] = time.GetUtcNow();

    /// <summary>Writes what was collected; on failure the instants are kept for the next attempt.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTimeOffset>());
        if (batch.IsEmpty) return;
        try
        {
            await keys.UpdateLastUsedAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            foreach (var (id, at) in batch)
                _pending.AddOrUpdate(id, at, (_, newer) => newer > at ? newer : at);
            LogFlushFailed(logger, batch.Count, e.Message);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await FlushAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync writes the rest.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record last use of {Count} API keys ({Reason}); retrying on the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int count, string reason);
}
