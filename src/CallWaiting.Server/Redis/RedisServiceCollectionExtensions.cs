using CallWaiting.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Redis;

/// <summary>Dependency-injection registration of the optional Redis connection.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RedisConnectionOptions"/> (validated at start) and registers <see cref="RedisConnection"/>, which
    /// resolves to null when no Redis is configured, and a hosted service that connects it. Call it before adding the
    /// hosted services that use Redis, so it connects before they start.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<RedisConnectionOptions>(RedisConnectionOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RedisConnectionOptions>>().Value is { IsConfigured: true } options
            ? new RedisConnection(options)
            : null!);
        services.AddHostedService<RedisStarter>();
        return services;
    }

    // Connects the configured connection when the host starts; nothing to do without Redis.
    private sealed class RedisStarter(RedisConnection? redis = null) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => redis?.StartAsync(cancellationToken) ?? Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
