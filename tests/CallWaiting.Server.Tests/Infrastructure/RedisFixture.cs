using CallWaiting.Server.Redis;
using StackExchange.Redis;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>A real Redis for a test class: CALLWAITING_TEST_REDIS (host:port) when set, else a private redis-server stopped on dispose.</summary>
/// <remarks>Tests share the instance, so each uses its own random subjects and never flushes data.</remarks>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>The environment variable naming an external test instance.</summary>
    public const string EnvironmentVariable = "CALLWAITING_TEST_REDIS";

    private RedisServerProcess? _server;
    private ConnectionMultiplexer? _admin;

    /// <summary>The instance's "host:port".</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>A connection allowed admin commands (SCRIPT FLUSH, CLIENT PAUSE), for inspecting and disturbing the server.</summary>
    public ConnectionMultiplexer Admin => _admin ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The admin connection's server.</summary>
    public IServer AdminServer => Admin.GetServer(Admin.GetEndPoints()[0]);

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            _server = RedisServerProcess.StartOnFreePort();
            Endpoint = _server.Endpoint;
        }
        else
        {
            Endpoint = external.Trim();
        }

        _admin = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},allowAdmin=true,abortConnect=true");
    }

    /// <summary>A new, separate connection as the server would open it (each call simulates another replica).</summary>
    public Task<RedisConnection> ConnectAsync() => RedisConnection.ConnectAsync(new RedisConnectionOptions(Endpoint));

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        _server?.Dispose();
    }
}
