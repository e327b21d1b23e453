using CallWaiting.Server.Configuration;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Metering;

/// <summary>Dependency-injection registration of metering.</summary>
public static class MeteringServiceCollectionExtensions
{
    /// <summary>
    /// Registers the usage meter, once, as <see cref="IUsageMeter"/> and as a hosted service (so the host
    /// starts it and flushes it on shutdown), its store and metrics, and <see cref="UsageQuery"/>. Needs an
    /// <see cref="IDbConnectionFactory"/>; an optional <see cref="TimeProvider"/> is used when registered.
    /// </summary>
    /// <remarks>Without <paramref name="options"/>, <see cref="MeteringOptions"/> is bound to the <c>Metering</c> section and validated at start-up.</remarks>
    public static IServiceCollection AddMetering(this IServiceCollection services, MeteringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (options is null) services.AddValidatedOptions<MeteringOptions>(MeteringOptions.Section);
        else services.TryAddSingleton(Options.Create(options.ThrowIfInvalid(nameof(options))));
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<MeteringOptions>>().Value);
        services.TryAddSingleton(_ => new MeteringMetrics());
        services.TryAddSingleton<IMeteringStore>(provider =>
            new MeteringStore(provider.GetRequiredService<IDbConnectionFactory>(), provider.GetService<TimeProvider>()));
        services.TryAddSingleton<UsageMeter>();
        services.TryAddSingleton<IUsageMeter>(provider => provider.GetRequiredService<UsageMeter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UsageMeter>(provider => provider.GetRequiredService<UsageMeter>()));
        services.TryAddSingleton(provider =>
            new UsageRepository(provider.GetRequiredService<IDbConnectionFactory>(), provider.GetService<TimeProvider>()));
        services.TryAddSingleton<UsageQuery>();
        return services;
    }
}
