using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_to_sqlite_file_under_the_data_folder()
    {
        var options = Bind([]);

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal(Path.GetFullPath("data"), options.DataPath);
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "callwaiting.db")), options.SqlitePath);
        Assert.Null(options.PostgresConnectionString);
    }

    [Fact]
    public void Data_directory_variable_moves_the_sqlite_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cw-options-test");
        var options = Bind(new() { ["CALLWAITING_DATA_DIR"] = directory });

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal(Path.Combine(directory, "callwaiting.db"), options.SqlitePath);
    }

    [Fact]
    public void Database_variable_selects_postgres()
    {
        const string connectionString = "Host=db.internal;Username=app;Password=s3cret;Database=callwaiting";
        var options = Bind(new() { ["CALLWAITING_DB"] = connectionString, ["CALLWAITING_Storage__MaxPoolSize"] = "7" });

        Assert.Equal(DatabaseProvider.Postgres, options.Provider);
        Assert.Equal(connectionString, options.PostgresConnectionString);
        Assert.Equal(7, options.MaxPoolSize);
        Assert.Null(options.SqlitePath);
        Assert.DoesNotContain("s3cret", options.ToString());
    }

    [Theory]
    [InlineData("Username=app;Password=s3cret")]
    [InlineData("Host=db;Bogus Keyword=1;Password=s3cret")]
    [InlineData("this is not = = a connection string;Password=s3cret")]
    public void Malformed_database_variable_is_a_clear_error_without_the_password(string connectionString)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["CALLWAITING_DB"] = connectionString }));

        Assert.Contains("CALLWAITING_DB", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void Factory_matches_the_provider()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cw-options-{Guid.NewGuid():N}");
        try
        {
            Assert.IsType<SqliteConnectionFactory>(ConnectionFactories.Create(StorageOptions.ForSqlite(Path.Combine(directory, "x.db"))));
            Assert.IsType<PostgresConnectionFactory>(ConnectionFactories.Create(StorageOptions.ForPostgres("Host=localhost")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The options the server binds from these environment variables (and no others), validated as at start-up.</summary>
    internal static StorageOptions Bind(Dictionary<string, string> variables)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Where(v => v.Key.Contains("__", StringComparison.Ordinal))
                .Select(v => KeyValuePair.Create(v.Key["CALLWAITING_".Length..].Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
            .Add(new EnvironmentAliases(variables.GetValueOrDefault))
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddCallWaitingStorage().BuildServiceProvider();
        return services.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
