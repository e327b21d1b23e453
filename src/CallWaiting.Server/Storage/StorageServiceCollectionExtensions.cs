using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Configuration;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Storage;

/// <summary>Registers storage, tenants and API keys as singletons for the server and CLI hosts.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds storage with <see cref="StorageOptions"/> bound to the <c>Storage</c> section (CALLWAITING_DB and
    /// CALLWAITING_DATA_DIR included) and validated at start-up; needs an <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> service.
    /// </summary>
    public static IServiceCollection AddCallWaitingStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        return services.AddStorageServices();
    }

    /// <summary>Adds storage over fixed <paramref name="options"/> (checked now), for hosts without configuration.</summary>
    public static IServiceCollection AddCallWaitingStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(Options.Create(options.ThrowIfInvalid(nameof(options))));
        return services.AddStorageServices();
    }

    /// <summary>
    /// Adds the connection factory for the configured <see cref="StorageOptions"/>, the migrator, every repository, the key
    /// hasher, verification cache and verifier, and the tenant and key services. A <see cref="TimeProvider"/>
    /// registered earlier is used; otherwise the system clock. The verifier takes <see cref="ApiKeyVerificationOptions"/>
    /// and <see cref="ApiKeyVerificationMetrics"/> when registered (the server does), else the defaults.
    /// </summary>
    private static IServiceCollection AddStorageServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ConnectionFactories.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
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
            sp.GetService<IOptions<ApiKeyVerificationOptions>>()?.Value,
            sp.GetService<ApiKeyVerificationMetrics>()));
        services.AddSingleton(sp => new TenantService(
            sp.GetRequiredService<TenantRepository>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ApiKeyVerificationCache>()));
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
