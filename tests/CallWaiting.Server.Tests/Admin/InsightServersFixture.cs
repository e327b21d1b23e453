using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>
/// Two real servers for the usage, request-log and system tests: the base fixture's on PostgreSQL and Redis, and one on
/// SQLite without Redis (the embedded default), each with direct access to its database.
/// </summary>
public sealed class InsightServersFixture : ServerFixture
{
    private readonly string _sqliteData = Directory.CreateTempSubdirectory("cw-insight-sqlite-").FullName;
    private ServerProcess _sqlite = null!;
    private ServerStore _sqliteStore = null!;
    private string _postgresOperator = "";
    private string _sqliteOperator = "";

    /// <summary>The server and database of "postgres" or "sqlite".</summary>
    public InsightBackend Backend(string provider) => provider switch
    {
        "postgres" => new InsightBackend(provider, Server, Store, _postgresOperator),
        "sqlite" => new InsightBackend(provider, _sqlite, _sqliteStore, _sqliteOperator),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "postgres or sqlite"),
    };

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sqlite = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled) { ["CALLWAITING_DATA_DIR"] = _sqliteData });
        _sqliteStore = ServerStore.ForSqlite(_sqliteData);
        // The operator's admin keys, with limits that the tests' polling never meets (the bootstrap key has the default 120 a minute).
        _postgresOperator = (await Store.CreateKeyAsync(scopes: Scopes.Admin, perMinute: 100_000)).Key;
        _sqliteOperator = (await _sqliteStore.CreateKeyAsync(scopes: Scopes.Admin, perMinute: 100_000)).Key;
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _sqliteStore.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>One server under test and its database.</summary>
/// <param name="Provider">postgres or sqlite.</param>
/// <param name="Server">The server process.</param>
/// <param name="Store">Its database.</param>
/// <param name="OperatorKey">An admin key of the default tenant: the operator's.</param>
public sealed record InsightBackend(string Provider, ServerProcess Server, ServerStore Store, string OperatorKey)
{
    /// <summary>The server's client.</summary>
    public HttpClient Client => Server.Client;
}

/// <summary>The usage, request-log and system test classes share the two servers, so their start-up is paid once.</summary>
[CollectionDefinition(Name)]
public sealed class InsightServersCollection : ICollectionFixture<InsightServersFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Insight servers";
}
