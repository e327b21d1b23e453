using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Cli.Commands;

/// <summary>Storage for administrative commands: the database named by CALLWAITING_DB / CALLWAITING_DATA_DIR, migrated first.</summary>
internal static class CliStorage
{
    /// <summary>A service provider with storage, tenants and keys over a migrated database.</summary>
    public static async Task<ServiceProvider> OpenAsync(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddSingleton(CallWaitingConfiguration.ForCommandLine()).AddLogging().AddCallWaitingStorage().BuildServiceProvider();
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }
}
