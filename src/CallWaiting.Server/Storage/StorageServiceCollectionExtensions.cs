using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallWaiting.Server.Storage;

/// <summary>Registers storage, tenants and API keys as singletons for the server and CLI hosts.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the connection factory for <paramref name="options"/>, the migrator, every repository, the key
    /// hasher, verification cache and verifier, and the tenant and key services. A <see cref="TimeProvider"/>
    /// registered earlier is used; otherwise the system clock. The verifier takes <see cref="ApiKeyVerificationOptions"/>
    /// and <see cref="ApiKeyVerificationMetrics"/> when registered (the server does), else the defaults.
    /// </summary>
    public static IServiceCollection AddCallWaitingStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(_ => ConnectionFactories.Create(options));
        services.AddSingleton(sp => new DatabaseMigrator(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TenantRepository(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ApiKeyRepository(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new VoiceRepository(sp.GetRequiredService<IDbConnectionFactory>()));
        services.AddSingleton(sp => new UsageRepository(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RequestLogRepository(sp.GetRequiredService<IDbConnectionFactory>()));
        services.AddSingleton(_ => new ApiKeyHasher());
        services.AddSingleton(sp => new ApiKeyVerificationCache(time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ApiKeyVerifier(
            sp.GetRequiredService<ApiKeyRepository>(),
            sp.GetRequiredService<ApiKeyHasher>(),
            sp.GetRequiredService<ApiKeyVerificationCache>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ApiKeyVerificationOptions>(),
            sp.GetService<ApiKeyVerificationMetrics>()));
        services.AddSingleton(sp => new TenantService(sp.GetRequiredService<TenantRepository>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KeyService(
            sp.GetRequiredService<IDbConnectionFactory>(),
            sp.GetRequiredService<TenantRepository>(),
            sp.GetRequiredService<ApiKeyRepository>(),
            sp.GetRequiredService<ApiKeyHasher>(),
            sp.GetRequiredService<ApiKeyVerificationCache>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
