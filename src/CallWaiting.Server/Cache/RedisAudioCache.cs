using CallWaiting.Server.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallWaiting.Server.Cache;

/// <summary>The tier shared by every replica: one Redis string per entry under <c>callwaiting:audio:v1:{key}</c>, with a time to live.</summary>
public sealed partial class RedisAudioCache(RedisConnection redis, TimeSpan timeToLive, ILogger<RedisAudioCache> logger) : IAudioCacheTier
{
    /// <summary>Prefix of every entry's Redis key.</summary>
    public const string KeyPrefix = "callwaiting:audio:v1:";

    /// <inheritdoc />
    public string Name => "redis";

    /// <inheritdoc />
    public async ValueTask<AudioCacheEntry?> GetAsync(AudioCacheKey key, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return null;
        try
        {
            var value = await redis.Database.StringGetAsync(RedisKey(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
            return value.IsNull ? null : AudioCacheEntry.Deserialize((byte[])value!);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetAsync(AudioCacheKey key, AudioCacheEntry entry, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return false;
        try
        {
            return await redis.Database.StringSetAsync(RedisKey(key), entry.Serialize(), timeToLive).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
            return false;
        }
    }

    /// <summary>The Redis key of an entry.</summary>
    public static string RedisKey(AudioCacheKey key) => KeyPrefix + key.ToString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis audio cache unavailable, treating as a miss: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
