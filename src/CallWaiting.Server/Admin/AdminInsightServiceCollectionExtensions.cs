using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Admin;

/// <summary>Registers what the usage, request-log and system endpoints use.</summary>
public static class AdminInsightServiceCollectionExtensions
{
    /// <summary>Adds the usage analytics and the system report.</summary>
    public static IServiceCollection AddAdminInsight(this IServiceCollection services)
    {
        services.AddSingleton<UsageAnalyticsRepository>();
        services.AddSingleton<UsageReport>();
        services.AddSingleton<SystemReport>();
        return services;
    }
}
