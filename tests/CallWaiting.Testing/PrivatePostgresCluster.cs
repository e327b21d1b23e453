namespace CallWaiting.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb + pg_ctl in a temp folder on a free loopback port, as the postgres
/// OS user when root), which the test may stop and start again to stage an outage; the shared
/// <see cref="PostgresServer"/> must never go down under other tests. Always private, even when CALLWAITING_TEST_PG is set.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly bool _asPostgres = Environment.IsPrivilegedProcess;
    private readonly int _port = PostgresServer.FreePort();
    private bool _running;

    private PrivatePostgresCluster(string root) => _root = root;

    /// <summary>Pooled connection string to the cluster's postgres database as its superuser, for a server under test.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    /// <summary>The same without pooling, for the test's own queries (pooled sessions die with every stop).</summary>
    public string UnpooledConnectionString => ConnectionString + ";Pooling=false";

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<PrivatePostgresCluster> CreateAsync()
    {
        PostgresServer.RemoveClustersOfDeadProcesses();
        // The shared prefix and owner pid let PostgresServer's sweep remove this folder if the test process is killed.
        var cluster = new PrivatePostgresCluster(Path.Combine(Path.GetTempPath(), $"{PostgresServer.DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(cluster._root);
        try
        {
            if (cluster._asPostgres) await PostgresServer.RunAsync("chown", ["postgres:postgres", cluster._root], asPostgres: false);
            await cluster.PgAsync(Path.Combine(PostgresServer.BinDirectory, "initdb"), "-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server on its port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await PgCtlAsync("-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
        _running = true;
    }

    /// <summary>Stops the server the way an outage looks to clients: fast mode ends every session at once.</summary>
    public async Task StopAsync()
    {
        await PgCtlAsync("-m", "fast", "-w", "-t", "60", "stop");
        _running = false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running) await PgCtlAsync("-m", "immediate", "-w", "-t", "60", "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A dying backend may still hold a file; PostgresServer's sweep removes the folder later.
            }
        }
    }

    private Task PgCtlAsync(params string[] arguments) =>
        PgAsync(Path.Combine(PostgresServer.BinDirectory, "pg_ctl"), ["-D", DataDirectory, .. arguments]);

    private Task PgAsync(string program, params string[] arguments) => PostgresServer.RunAsync(program, arguments, _asPostgres);
}
