using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;

namespace CallWaiting.Server.Tests.Storage;

public sealed class MigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] Tables = ["tenants", "api_keys", "voices", "usage_counters", "request_logs", "voice_consent"];

    [Fact]
    public void Both_dialects_ship_the_same_versions_in_order()
    {
        var pg = MigrationCatalog.For(SqlDialect.Postgres);
        var sqlite = MigrationCatalog.For(SqlDialect.Sqlite);
        Assert.Equal(pg.Select(m => m.Version), sqlite.Select(m => m.Version));
        Assert.Equal(Enumerable.Range(1, pg.Count), pg.Select(m => m.Version));
        Assert.Equal("initial", pg[0].Name);
        Assert.All(pg.Concat(sqlite), m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Applies_all_migrations_to_an_empty_database_and_creates_every_table(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres, migrate: false);
        var result = await new DatabaseMigrator(store.Db).MigrateAsync();

        var expected = MigrationCatalog.For(store.Db.Dialect).Select(m => m.Version).ToList();
        Assert.Equal(expected, result.Applied);
        Assert.Equal(expected.Max(), result.CurrentVersion);
        await using var connection = await store.Db.OpenConnectionAsync();
        foreach (var table in Tables)
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        Assert.Equal(expected.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Second_run_is_a_no_op(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres, migrate: false);
        var first = await new DatabaseMigrator(store.Db).MigrateAsync();
        var second = await new DatabaseMigrator(store.Db).MigrateAsync();

        Assert.NotEmpty(first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(first.CurrentVersion, second.CurrentVersion);
        await using var connection = await store.Db.OpenConnectionAsync();
        Assert.Equal(first.Applied.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Concurrent_migrators_apply_each_migration_once(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres, migrate: false);

        // Separate factories, like two replicas with their own pools starting at the same moment.
        await using var otherFactory = ConnectionFactories.Create(store.Options);
        using var start = new ManualResetEventSlim();
        var first = Task.Run(() => { start.Wait(); return new DatabaseMigrator(store.Db).MigrateAsync(); });
        var second = Task.Run(() => { start.Wait(); return new DatabaseMigrator(otherFactory).MigrateAsync(); });
        start.Set();
        var results = await Task.WhenAll(first, second);

        var expected = MigrationCatalog.For(store.Db.Dialect).Select(m => m.Version).ToList();
        Assert.Single(results, r => r.Applied.Count == expected.Count);
        Assert.Single(results, r => r.Applied.Count == 0);
        await using var connection = await store.Db.OpenConnectionAsync();
        Assert.Equal(expected.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Refuses_to_run_when_an_applied_migration_was_edited(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        await using (var connection = await store.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => new DatabaseMigrator(store.Db).MigrateAsync());
        Assert.Contains("001_initial", error.Message);
        Assert.Contains("changed after it was applied", error.Message);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Schema_enforces_the_contract_constraints(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        await using var connection = await store.Db.OpenConnectionAsync();
        var tenant = Guid.NewGuid();
        await connection.ExecuteAsync(
            "INSERT INTO tenants (id, slug, name, created_at) VALUES (@Id, 'acme', 'Acme', @Now)",
            new { Id = tenant, Now = DateTimeOffset.UtcNow });
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, created_at) VALUES (@Id, @Tenant, 'k', 'cw_live_AAAAAAAAAAAA', 'h', 'admin', @Now)",
            new { Id = Guid.NewGuid(), Tenant = tenant, Now = DateTimeOffset.UtcNow });

        // Seed defaults: 120/min, 10,000/day, status active.
        var defaults = await connection.QuerySingleAsync<(long PerMin, long PerDay, string Status)>(
            "SELECT CAST(rate_limit_per_min AS BIGINT), CAST(rate_limit_per_day AS BIGINT), status FROM api_keys");
        Assert.Equal((120L, 10_000L, "active"), defaults);

        // key_prefix is unique, status is constrained and tenant_id must reference a tenant.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, created_at) VALUES (@Id, @Tenant, 'k2', 'cw_live_AAAAAAAAAAAA', 'h', 'admin', @Now)",
            new { Id = Guid.NewGuid(), Tenant = tenant, Now = DateTimeOffset.UtcNow }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, status, created_at) VALUES (@Id, @Tenant, 'k3', 'cw_live_BBBBBBBBBBBB', 'h', 'admin', 'deleted', @Now)",
            new { Id = Guid.NewGuid(), Tenant = tenant, Now = DateTimeOffset.UtcNow }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, created_at) VALUES (@Id, @Tenant, 'k4', 'cw_live_CCCCCCCCCCCC', 'h', 'admin', @Now)",
            new { Id = Guid.NewGuid(), Tenant = Guid.NewGuid(), Now = DateTimeOffset.UtcNow }));
    }
}
