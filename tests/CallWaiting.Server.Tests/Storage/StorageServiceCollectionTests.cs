using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Tests.Storage;

public sealed class StorageServiceCollectionTests
{
    [Fact]
    public async Task Container_migrates_bootstraps_and_verifies_against_one_sqlite_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cw-di-{Guid.NewGuid():N}");
        try
        {
            await using (var provider = new ServiceCollection()
                .AddCallWaitingStorage(StorageOptionsTests.Bind(new() { ["CALLWAITING_DATA_DIR"] = directory }))
                .BuildServiceProvider())
            {
                var migration = await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                Assert.NotEmpty(migration.Applied);
                var bootstrap = await provider.GetRequiredService<KeyService>().BootstrapAsync(null);
                Assert.NotNull(bootstrap);
                Assert.True((await provider.GetRequiredService<ApiKeyVerifier>().VerifyAsync(bootstrap.Key)).IsValid);

                // Revoking through the container's KeyService reaches the container's verification cache at once.
                await provider.GetRequiredService<KeyService>().RevokeAsync(bootstrap.Id);
                Assert.Equal(ApiKeyVerificationStatus.Revoked, (await provider.GetRequiredService<ApiKeyVerifier>().VerifyAsync(bootstrap.Key)).Status);
                Assert.Single(await provider.GetRequiredService<TenantService>().ListAsync());
            }

            Assert.True(File.Exists(Path.Combine(directory, "callwaiting.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
