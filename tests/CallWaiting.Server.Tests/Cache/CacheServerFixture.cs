using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>Two replicas (A, the base fixture's server, and B) on one PostgreSQL database and one Redis; B caches entries up to 32 MiB.</summary>
public sealed class CacheServerFixture : ServerFixture
{
    /// <summary>B's settings: entries up to 32 MiB, so a long stream is cacheable.</summary>
    public static readonly (string, string?)[] CacheSettings =
    [
        ("CALLWAITING_Cache__MaxEntryBytes", (32 * 1024 * 1024).ToString()),
        ("CALLWAITING_Cache__MemoryMaxBytes", (128 * 1024 * 1024).ToString()),
    ];

    /// <summary>The second replica.</summary>
    public ServerProcess Second { get; private set; } = null!;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Second = await ServerProcess.StartAsync(Environment(CacheSettings));
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await base.DisposeAsync();
    }
}
