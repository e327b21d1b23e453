using System.Text.RegularExpressions;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Realtime;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>
/// deploy/nginx/nginx.conf: Debian's nginx accepts it (`nginx -t`) once rendered for loopback, with a self-signed
/// certificate from the openssl CLI in a temporary prefix, and it says what the server needs of its proxy.
/// </summary>
public sealed partial class NginxConfigTests : IDisposable
{
    private const string ConfigPath = "deploy/nginx/nginx.conf";

    // Debian's nginx (scripts/ensure-deps.sh test); /usr/sbin is not on every user's PATH.
    private const string Nginx = "/usr/sbin/nginx";
    private static readonly string Config = DeployFiles.Read(ConfigPath);
    private readonly string _prefix = Directory.CreateTempSubdirectory("cw-nginx-").FullName;

    /// <summary>The configured client_max_body_size, e.g. "1088k".</summary>
    public static string ClientMaxBodySize() => Regex.Match(Config, @"client_max_body_size (?<size>\w+);").Groups["size"].Value;

    [Fact]
    public async Task Nginx_accepts_the_configuration_rendered_for_loopback()
    {
        var certs = Directory.CreateDirectory(Path.Combine(_prefix, "certs")).FullName;
        await ServerAudio.RunToolAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
            "-keyout", Path.Combine(certs, "privkey.pem"), "-out", Path.Combine(certs, "fullchain.pem")]);
        var rendered = Path.Combine(_prefix, "nginx.conf");
        await File.WriteAllTextAsync(rendered, await RenderForLoopbackAsync(_prefix));

        var output = await ServerAudio.RunToolAsync(Nginx, ["-t", "-p", _prefix + "/", "-e", "stderr", "-c", rendered], mayFail: true);
        Assert.Contains("syntax is ok", output);
        Assert.Contains("test is successful", output);
    }

    [Fact]
    public async Task Nginx_refuses_a_broken_rendering()
    {
        // The check above must be able to fail: the same rendering without its certificate files is refused.
        var rendered = Path.Combine(_prefix, "nginx.conf");
        await File.WriteAllTextAsync(rendered, await RenderForLoopbackAsync(_prefix));
        var output = await ServerAudio.RunToolAsync(Nginx, ["-t", "-p", _prefix + "/", "-e", "stderr", "-c", rendered], mayFail: true);
        Assert.Contains("fullchain.pem", output);
        Assert.DoesNotContain("test is successful", output);
    }

    [Fact]
    public void Upstream_balances_by_least_connections_and_streams_unbuffered()
    {
        Assert.Matches(@"upstream callwaiting \{\s*least_conn;", Config);
        Assert.Matches(@"\n\s*proxy_buffering off;", Config);
        // A request that meets a replica as it drains goes to the next one: nginx must hold the whole body to resend it.
        Assert.Matches(@"\n\s*proxy_request_buffering on;", Config);
        Assert.Matches(@"\n\s*proxy_next_upstream error timeout non_idempotent;", Config);
        // Between two writes of a streamed answer the server waits at most Speech:RequestTimeout for its engine.
        Assert.True(Seconds(Directive("proxy_read_timeout").First()) > new SpeechHostOptions().RequestTimeout.TotalSeconds);
    }

    [Fact]
    public void Tls_sends_hsts_and_the_security_headers()
    {
        Assert.Matches(@"listen 443 ssl", Config);
        Assert.Matches(@"add_header Strict-Transport-Security ""max-age=\d{8,}; includeSubDomains"" always;", Config);
        foreach (var header in new[] { "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy" }) Assert.Contains($"add_header {header} ", Config);
        Assert.Matches(@"location / \{\s*return 301 https://", Config);
    }

    [Fact]
    public void WebSocket_route_upgrades_and_outlives_the_servers_keepalive()
    {
        var ws = Regex.Match(Config, @"location = /v1/tts/ws \{(?<body>[^}]*)\}").Groups["body"].Value;
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", ws);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", ws);
        var read = Regex.Match(ws, @"proxy_read_timeout (?<t>\w+);").Groups["t"].Value;
        Assert.True(Seconds(read) > new RealtimeOptions().KeepAliveTimeout.TotalSeconds);
    }

    [Fact]
    public void Client_address_is_forwarded_and_body_limit_matches_what_the_server_drains()
    {
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", Config);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", Config);
        // The server answers 413 past Api:MaxRequestBodyBytes and drains 1 MiB more (CallWaitingServer.ConfigureKestrel).
        var expected = (new ApiOptions().MaxRequestBodyBytes + 1024 * 1024) / 1024;
        Assert.Equal($"{expected}k", ClientMaxBodySize());
        Assert.Matches(@"location = /metrics \{\s*return 404;", Config);
    }

    /// <summary>
    /// scripts/nginx-loopback.sh's rendering, the one scripts/topology-test.sh runs: paths moved into <paramref name="prefix"/>,
    /// upstreams and listeners onto loopback.
    /// </summary>
    private static async Task<string> RenderForLoopbackAsync(string prefix)
    {
        var result = await ProcessRunner.RunAsync("bash", [DeployFiles.PathOf("scripts/nginx-loopback.sh"), prefix, "18080", "18443", "127.0.0.1:8004"]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }

    private static IEnumerable<string> Directive(string name) => Regex.Matches(Config, $@"\n\s*{name} (?<value>\w+);").Select(m => m.Groups["value"].Value);

    private static double Seconds(string value) => value[^1] switch
    {
        's' => double.Parse(value[..^1]),
        'm' => double.Parse(value[..^1]) * 60,
        'h' => double.Parse(value[..^1]) * 3600,
        _ => double.Parse(value),
    };

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_prefix, recursive: true);
}
