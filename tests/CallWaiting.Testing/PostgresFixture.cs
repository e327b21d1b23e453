namespace CallWaiting.Testing;

/// <summary>
/// Class fixture giving each test class its own fresh PostgreSQL database (dropped afterwards) on the shared
/// <see cref="PostgresServer"/>; tests needing a pristine database of their own call <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private PostgresServer? _server;

    /// <summary>Connection string of this test class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Creates another empty database, dropped with the fixture.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await _server!.CreateDatabaseAsync();
        lock (_databases)
        {
            _databases.Add(connectionString);
        }

        return connectionString;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await PostgresServer.GetAsync();
        ConnectionString = await CreateDatabaseAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await _server!.DropDatabaseAsync(database);
        }
    }
}
