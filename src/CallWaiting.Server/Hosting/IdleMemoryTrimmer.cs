using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Gives memory back once the server falls quiet after work: .NET collects only when something allocates, so the heap a
/// burst of long answers grew (dead buffers, fragmented large-object segments) would otherwise stay committed for as long
/// as the server stays idle. One compacting, decommitting collection per quiet spell; never while requests allocate.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often allocation is sampled; a quiet spell is one interval with less than <see cref="QuietBytes"/> allocated.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    // Health checks, metric scrapes and the pollers allocate a little even on an idle server; a synthesis allocates megabytes.
    private const long QuietBytes = 4 * 1024 * 1024;

    // Not worth a full blocking collection for less than this allocated since the last one.
    private const long WorkBytes = 64 * 1024 * 1024;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var last = GC.GetTotalAllocatedBytes();
        var sinceTrim = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var allocated = now - last;
                last = now;
                sinceTrim += allocated;
                if (allocated >= QuietBytes || sinceTrim < WorkBytes) continue;

                var before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                sinceTrim = 0;
                last = GC.GetTotalAllocatedBytes();
                LogTrimmed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle after work: memory trimmed from {BeforeMb} MB to {AfterMb} MB")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb);
}
