using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallWaiting.Testing;

/// <summary>A private redis-server on a loopback port in a temp folder, which tests may kill and restart on the same port.</summary>
public sealed class RedisServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory;
    private Process? _process;

    private RedisServerProcess(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port", a StackExchange.Redis configuration string.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port (trying a few ports if another process grabs one first).</summary>
    public static RedisServerProcess StartOnFreePort()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("cw-redis-").FullName;
            var server = new RedisServerProcess(FreePort(), directory);
            try
            {
                server.Start();
                return server;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                server.Dispose();
            }
        }

        throw new InvalidOperationException("Could not start a private redis-server.", last);
    }

    /// <summary>Starts (or restarts) the server on <see cref="Port"/> and waits until it answers PING.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, WorkingDirectory = _directory };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"), "--daemonize", "no",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {ReadLog()}");
            }

            if (AnswersPing())
            {
                return;
            }

            Thread.Sleep(50);
        }

        Kill();
        throw new InvalidOperationException($"redis-server did not answer within {StartTimeout}: {ReadLog()}");
    }

    /// <summary>Kills the server process outright (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private bool AnswersPing()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    private string ReadLog()
    {
        var path = Path.Combine(_directory, "redis.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
