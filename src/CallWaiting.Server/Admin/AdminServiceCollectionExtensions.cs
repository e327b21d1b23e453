using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Admin;

/// <summary>Registers what the /v1/admin endpoints use.</summary>
public static class AdminServiceCollectionExtensions
{
    /// <summary>Adds the audit log, the usage analytics and the system report.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<UsageAnalyticsRepository>();
        services.AddSingleton<UsageReport>();
        services.AddSingleton<SystemReport>();
        return services;
    }
}
