using CallWaiting.Server.Configuration;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Cache;

/// <summary>Registers the audio cache: the in-process tier, Redis when CALLWAITING_REDIS is set, and the disk tier when Cache:DiskMaxBytes is positive.</summary>
public static class AudioCacheServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AudioCache"/> with options from the <c>Cache</c> section.</summary>
    public static IServiceCollection AddAudioCache(this IServiceCollection services)
    {
        services.AddValidatedOptions<AudioCacheOptions>(AudioCacheOptions.Section);
        services.AddSingleton(_ => new AudioCacheMetrics());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AudioCacheOptions>>().Value;
            var tiers = new List<IAudioCacheTier>();
            if (sp.GetService<RedisConnection>() is { } redis)
                tiers.Add(new RedisAudioCache(redis, options.RedisTimeToLive, sp.GetRequiredService<ILogger<RedisAudioCache>>()));
            if (options.DiskMaxBytes > 0)
            {
                var root = Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataPath, "cache");
                tiers.Add(new DiskAudioCache(root, options.DiskMaxBytes, sp.GetRequiredService<ILogger<DiskAudioCache>>()));
            }
            return new AudioCache(options, tiers, sp.GetRequiredService<AudioCacheMetrics>());
        });
        return services;
    }
}
