using CallWaiting.Server.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// The server hosted in the test process (WebApplicationFactory over TestServer) on a <see cref="FakeTimeProvider"/>,
/// with SQLite in a folder of its own and no Redis: for behaviour that depends on time (key expiry, rate-limit windows,
/// usage days, token lifetimes), which a test then moves by <see cref="Clock"/> instead of waiting. Everything else is
/// the real server: real engines, storage, middleware and endpoints. Shutdown, replicas and outages stay with
/// <see cref="ServerProcess"/>, where a real process is the point.
/// </summary>
public sealed class InProcessServer : WebApplicationFactory<InProcessServerProgram>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cw-inproc-").FullName;

    /// <summary>Starts at the beginning of the current UTC minute, so rate-limit windows (aligned to minutes) begin with the test.</summary>
    public InProcessServer(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var now = DateTimeOffset.UtcNow;
        Clock = new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
        _settings = new Dictionary<string, string?>
        {
            // Explicit, so CALLWAITING_* variables of the test process cannot point this server elsewhere.
            ["Storage:PostgresConnectionString"] = "",
            ["Storage:DataDirectory"] = _dataDirectory,
            ["Redis:Configuration"] = "",
            ["Bootstrap:Key"] = BootstrapKey,
            ["Speech:Workers"] = "1",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) _settings[name] = value;
    }

    /// <summary>The server's clock: every TimeProvider-timed behaviour moves only when a test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The admin key the empty database starts with.</summary>
    public string BootstrapKey { get; } = ApiKeyFormat.Generate();

    /// <summary>Creates a key of the default tenant, as <c>callwaiting keys create</c> would.</summary>
    public async Task<IssuedApiKey> CreateKeyAsync(DateTimeOffset? expiresAt = null) =>
        (await Services.GetRequiredService<KeyService>().CreateKeysAsync(new CreateKeysRequest { Name = "in-process", ExpiresAt = expiresAt }))[0];

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
