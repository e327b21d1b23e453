using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Storage;

/// <summary>A real, migrated database for one test: a fresh PostgreSQL database or a SQLite file in a temp folder.</summary>
public sealed class StorageTestStore : IAsyncDisposable
{
    /// <summary>Theory argument naming PostgreSQL.</summary>
    public const string Postgres = "postgres";

    /// <summary>Theory argument naming SQLite.</summary>
    public const string Sqlite = "sqlite";

    private readonly string? _directory;

    private StorageTestStore(IDbConnectionFactory db, StorageOptions options, string? directory)
    {
        Db = db;
        Options = options;
        _directory = directory;
    }

    /// <summary>The connection factory of the store.</summary>
    public IDbConnectionFactory Db { get; }

    /// <summary>The options the factory was built from.</summary>
    public StorageOptions Options { get; }

    /// <summary>A store of the named dialect ("postgres" or "sqlite"), migrated unless asked otherwise.</summary>
    public static async Task<StorageTestStore> CreateAsync(string dialect, PostgresFixture postgres, bool migrate = true) => dialect switch
    {
        Postgres => await CreatePostgresAsync(postgres, migrate),
        Sqlite => await CreateSqliteAsync(migrate),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Use \"postgres\" or \"sqlite\"."),
    };

    /// <summary>A fresh PostgreSQL database (dropped with the fixture).</summary>
    public static async Task<StorageTestStore> CreatePostgresAsync(PostgresFixture postgres, bool migrate = true)
    {
        var options = StorageOptions.ForPostgres(await postgres.CreateDatabaseAsync(), Path.GetTempPath());
        return await OpenAsync(options, null, migrate);
    }

    /// <summary>A SQLite file in a new temp folder (deleted on dispose).</summary>
    public static async Task<StorageTestStore> CreateSqliteAsync(bool migrate = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cw-sqlite-{Guid.NewGuid():N}");
        var options = StorageOptions.ForSqlite(Path.Combine(directory, StorageOptions.SqliteFileName), directory);
        return await OpenAsync(options, directory, migrate);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<StorageTestStore> OpenAsync(StorageOptions options, string? directory, bool migrate)
    {
        var store = new StorageTestStore(ConnectionFactories.Create(options), options, directory);
        if (migrate)
        {
            await new DatabaseMigrator(store.Db).MigrateAsync();
        }

        return store;
    }
}
