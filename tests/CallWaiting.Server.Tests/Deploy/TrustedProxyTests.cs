using System.Net;
using System.Net.Sockets;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>
/// Api:TrustedProxies: X-Forwarded-For is believed only from a configured proxy. Observed through /metrics, whose
/// loopback-only allowlist refuses a forwarded outside address but admits the loopback peer when the header is ignored.
/// The server trusts 127.0.0.1 only; a second client connects from 127.0.0.2, which is loopback too but not trusted.
/// </summary>
public sealed class TrustedProxyTests(TrustingServerFixture fixture) : IClassFixture<TrustingServerFixture>
{
    private const string OutsideClient = "203.0.113.7";
    private readonly ServerProcess _server = fixture.Server;

    [Fact]
    public async Task By_default_no_peer_is_trusted_not_even_loopback()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, await MetricsStatusAsync(client, OutsideClient));
    }

    [Fact]
    public async Task An_entry_that_is_no_address_stops_start_up_with_a_clear_message()
    {
        var result = await ServerCli.RunAsync(new Dictionary<string, string?>
        {
            ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-proxy-bad-").FullName,
            ["CALLWAITING_Api__TrustedProxies__0"] = "nginx.internal",
        }, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Api:TrustedProxies", result.StandardError);
    }

    [Fact]
    public async Task Forwarded_address_from_a_trusted_proxy_is_the_client_address()
    {
        using var fromProxy = ClientFrom(IPAddress.Parse("127.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await MetricsStatusAsync(fromProxy, forwardedFor: null));
        Assert.Equal(HttpStatusCode.Forbidden, await MetricsStatusAsync(fromProxy, OutsideClient));
    }

    [Fact]
    public async Task Entries_a_client_wrote_itself_are_not_believed()
    {
        // nginx appends the peer it saw: "what the client claimed, the real client". Only the last is the proxy's word.
        using var fromProxy = ClientFrom(IPAddress.Parse("127.0.0.1"));
        Assert.Equal(HttpStatusCode.Forbidden, await MetricsStatusAsync(fromProxy, $"127.0.0.1, {OutsideClient}"));
    }

    [Fact]
    public async Task Forwarded_address_from_an_untrusted_peer_is_ignored()
    {
        using var untrusted = ClientFrom(IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.OK, await MetricsStatusAsync(untrusted, OutsideClient));
    }

    private static async Task<HttpStatusCode> MetricsStatusAsync(HttpClient client, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private HttpClient ClientFrom(IPAddress local)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
