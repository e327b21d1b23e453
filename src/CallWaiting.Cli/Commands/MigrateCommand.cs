using System.CommandLine;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting migrate`: applies pending database migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply database migrations (CALLWAITING_DB, else SQLite under CALLWAITING_DATA_DIR).");
        migrate.SetAction((_, ct) => CliErrors.RunAsync(async () =>
        {
            await using var services = new ServiceCollection().AddSingleton(CallWaitingConfiguration.ForCommandLine()).AddCallWaitingStorage().BuildServiceProvider();
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var result = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            Console.Out.WriteLine(result.Applied.Count == 0
                ? $"{options}: schema is current (version {result.CurrentVersion})."
                : $"{options}: applied {string.Join(", ", result.Applied)}; schema at version {result.CurrentVersion}.");
            return 0;
        }));
        return migrate;
    }
}
