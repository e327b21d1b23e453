using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace CallWaiting.Testing;

/// <summary>
/// The PostgreSQL server tests talk to: the one named by CALLWAITING_TEST_PG, or a private cluster started
/// once per test process (initdb + pg_ctl on a free loopback port, run as the postgres OS user when root)
/// and stopped when the process exits.
/// </summary>
public sealed partial class PostgresServer
{
    /// <summary>Environment variable with an Npgsql connection string to a database-creating role.</summary>
    public const string ExternalVariable = "CALLWAITING_TEST_PG";

    /// <summary>Where initdb and pg_ctl live.</summary>
    internal const string BinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>Temp-folder prefix of private clusters, followed by the owning test process id (swept when that process is gone).</summary>
    internal const string DirectoryPrefix = "cw-pg-";
    private const int SigQuit = 3;
    private const int EsrchError = 3;

    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static PostgresServer? _shared;

    private PostgresServer(string adminConnectionString)
    {
        AdminConnectionString = adminConnectionString;
    }

    /// <summary>Connection string to the maintenance database as a role that may create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The process-wide server, started on first use.</summary>
    public static async Task<PostgresServer> GetAsync()
    {
        await StartGate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            StartGate.Release();
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(external);
        }

        RemoveClustersOfDeadProcesses();
        var root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var runAsPostgres = Environment.IsPrivilegedProcess;
        if (runAsPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", root], asPostgres: false);
        }

        var data = Path.Combine(root, "data");
        var port = FreePort();
        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], runAsPostgres);
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
             "start"],
            runAsPostgres);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopCluster(root);
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"cw_test_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database created by <see cref="CreateDatabaseAsync"/>, ending its sessions.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    // The test host may be torn down right after ProcessExit, so shutdown must not spawn processes or wait:
    // SIGQUIT is PostgreSQL's immediate shutdown (fine for a throw-away cluster), then the folder goes.
    private static void StopCluster(string root)
    {
        var pidFile = Path.Combine(root, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            _ = Kill(postmaster, SigQuit);
            // The postmaster removes its pid file on exit (its zombie may linger, unreaped, so kill(pid, 0) cannot tell).
            for (var i = 0; i < 100 && File.Exists(pidFile); i++)
            {
                Thread.Sleep(10);
            }
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A dying backend may still hold a file; the next run's sweep removes the folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: left for the next sweep.
        }
    }

    /// <summary>Stops and removes clusters left behind by test processes that were killed (no ProcessExit, no dispose).</summary>
    internal static void RemoveClustersOfDeadProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var name = Path.GetFileName(directory);
            var pidText = name[DirectoryPrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) && !IsAlive(owner))
            {
                StopCluster(directory);
            }
        }
    }

    // kill(pid, 0) probes without signalling; only ESRCH means "no such process" (EPERM means alive, not ours).
    private static bool IsAlive(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != EsrchError;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>A loopback port that was free a moment ago.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program (as the postgres OS user when <paramref name="asPostgres"/>); throws with its output when it fails.</summary>
    internal static Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres) =>
        ProcessRunner.RunOrThrowAsync(asPostgres ? "runuser" : program, asPostgres ? ["-u", "postgres", "--", program, .. arguments] : arguments,
            timeout: TimeSpan.FromMinutes(5));
}
