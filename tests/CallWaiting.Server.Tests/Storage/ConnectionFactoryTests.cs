using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace CallWaiting.Server.Tests.Storage;

public sealed class ConnectionFactoryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Sqlite_connections_use_wal_busy_timeout_and_foreign_keys()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync(migrate: false);
        await using var connection = await store.Db.OpenConnectionAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal((long)store.Options.SqliteBusyTimeoutMilliseconds, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.True(File.Exists(store.Options.SqlitePath));
    }

    [Fact]
    public async Task Sqlite_concurrent_writers_from_separate_factories_all_commit()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        await using var other = ConnectionFactories.Create(store.Options);
        var tenantIds = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();

        // Read-then-write transactions from two pools: BEGIN IMMEDIATE + busy_timeout must serialize them without SQLITE_BUSY.
        await Task.WhenAll(tenantIds.Select((id, i) => Task.Run(async () =>
        {
            await using var connection = await (i % 2 == 0 ? store.Db : other).OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var count = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants", transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO tenants (id, slug, name, created_at) VALUES (@Id, @Slug, 'n', @Now)",
                new { Id = id, Slug = $"t{i}-{count}", Now = DateTimeOffset.UtcNow },
                transaction);
            await transaction.CommitAsync();
        })));

        await using var check = await store.Db.OpenConnectionAsync();
        Assert.Equal(40L, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants"));
        var counts = (await check.QueryAsync<string>("SELECT slug FROM tenants")).Select(slug => int.Parse(slug.Split('-')[1])).Order();

        // Each transaction saw every earlier commit and nothing else: counts are exactly 0..39.
        Assert.Equal(Enumerable.Range(0, 40), counts);
    }

    [Fact]
    public async Task Postgres_factory_applies_pool_and_timeouts_but_keeps_explicit_settings()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var defaults = StorageOptions.ForPostgres(connectionString) with { CommandTimeoutSeconds = 42, ConnectTimeoutSeconds = 7, MaxPoolSize = 11 };
        await using var factory = new PostgresConnectionFactory(defaults);
        var effective = new NpgsqlConnectionStringBuilder(factory.EffectiveConnectionString);
        Assert.Equal(42, effective.CommandTimeout);
        Assert.Equal(7, effective.Timeout);
        Assert.Equal(11, effective.MaxPoolSize);
        Assert.True(effective.Pooling);

        await using var explicitFactory = new PostgresConnectionFactory(StorageOptions.ForPostgres(connectionString + ";Command Timeout=5"));
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(explicitFactory.EffectiveConnectionString).CommandTimeout);

        await using var connection = await factory.OpenConnectionAsync();
        Assert.Equal("callwaiting", await connection.ExecuteScalarAsync<string>("SELECT current_setting('application_name')"));
    }

    [Fact]
    public async Task Type_handlers_round_trip_guid_timestamp_and_date_on_both_engines()
    {
        await using var pg = await StorageTestStore.CreatePostgresAsync(postgres);
        await using var sqlite = await StorageTestStore.CreateSqliteAsync();
        var id = Guid.NewGuid();
        var instant = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234560);
        var day = new DateOnly(2025, 3, 4);

        foreach (var store in new[] { pg, sqlite })
        {
            await using var connection = await store.Db.OpenConnectionAsync();
            await connection.ExecuteAsync(
                "INSERT INTO usage_counters (day, api_key_id, tenant_id) VALUES (@Day, @Id, @Id)", new { Day = day, Id = id });
            await connection.ExecuteAsync(
                "INSERT INTO tenants (id, slug, name, created_at) VALUES (@Id, 'x', 'x', @At)", new { Id = id, At = instant });
            Assert.Equal(id, await connection.ExecuteScalarAsync<Guid>("SELECT api_key_id FROM usage_counters WHERE day = @Day", new { Day = day }));
            Assert.Equal(day, await connection.ExecuteScalarAsync<DateOnly>("SELECT day FROM usage_counters WHERE api_key_id = @Id", new { Id = id }));
            var read = await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT created_at FROM tenants WHERE id = @Id", new { Id = id });
            Assert.Equal(instant.UtcTicks / 10 * 10, read.UtcTicks / 10 * 10);
            Assert.Equal(TimeSpan.Zero, read.Offset);
        }

        await using var raw = await sqlite.Db.OpenConnectionAsync();
        Assert.Equal(id.ToString("D"), await raw.ExecuteScalarAsync<string>("SELECT id FROM tenants"));
        Assert.Equal("2025-03-04T03:06:07.1234560Z", await raw.ExecuteScalarAsync<string>("SELECT created_at FROM tenants"));
        Assert.Equal("2025-03-04", await raw.ExecuteScalarAsync<string>("SELECT day FROM usage_counters"));
    }
}
