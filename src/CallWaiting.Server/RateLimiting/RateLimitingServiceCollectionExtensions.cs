using CallWaiting.Server.Configuration;
using CallWaiting.Server.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.RateLimiting;

/// <summary>Dependency-injection registration of the rate limiter.</summary>
public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RateLimitOptions"/> (<c>RateLimits</c>) and <see cref="FailoverRateLimiterOptions"/>
    /// (<c>RateLimits:Failover</c>), validated at start, and registers <see cref="IRateLimiter"/>: Redis with local
    /// failover when a <see cref="RedisConnection"/> is configured (<c>AddRedis</c> first), else the local limiter.
    /// </summary>
    public static IServiceCollection AddRateLimiting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        services.AddValidatedOptions<FailoverRateLimiterOptions>(FailoverRateLimiterOptions.Section);
        services.AddSingleton(new RateLimitMetrics());
        services.AddSingleton(sp => new LocalRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetService<RedisConnection>() is { } redis ? new RedisRateLimiter(redis) : null!);
        services.AddSingleton(sp => sp.GetService<RedisRateLimiter>() is { } redis
            ? new FailoverRateLimiter(redis, sp.GetRequiredService<LocalRateLimiter>(), sp.GetRequiredService<RateLimitMetrics>(),
                sp.GetRequiredService<ILogger<FailoverRateLimiter>>(), sp.GetRequiredService<IOptions<FailoverRateLimiterOptions>>().Value)
            : null!);
        services.AddSingleton<IRateLimiter>(sp => new MeteredRateLimiter(
            (IRateLimiter?)sp.GetService<FailoverRateLimiter>() ?? sp.GetRequiredService<LocalRateLimiter>(), sp.GetRequiredService<RateLimitMetrics>()));
        services.AddHostedService<ScriptPreloader>();
        return services;
    }

    // Loads the limiter's script once Redis has connected, ahead of the first limited request.
    private sealed class ScriptPreloader(RedisRateLimiter? redis = null) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => redis?.LoadScriptAsync() ?? Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
