using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CallWaiting.Server.Tests.Metering;

/// <summary>
/// A private PostgreSQL cluster that tests may stop and start again (the shared test server must never go
/// down under other tests): initdb + pg_ctl in a temp folder on a fixed free loopback port, as the postgres
/// OS user when running as root (initdb refuses root).
/// </summary>
public sealed class MeteringPostgresCluster : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cw-metering-pg-{Guid.NewGuid():N}");
    private readonly bool _asPostgres = Environment.IsPrivilegedProcess;
    private readonly int _port = FreePort();

    /// <summary>Connection string to the cluster's postgres database as its superuser (unpooled: pooled sessions die with each stop).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    private string DataDirectory => Path.Combine(_root, "data");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        if (_asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }

        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], _asPostgres);
        await StartAsync();
    }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public Task StartAsync() => RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
        ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
         "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"],
        _asPostgres);

    /// <summary>Stops the server like an outage: fast mode ends every session at once.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], _asPostgres);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _asPostgres);
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test that owns it.
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
