using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Tls;

/// <summary>
/// A throw-away self-signed certificate made by the real `openssl` CLI, and one server (embedded SQLite) that serves
/// it from CALLWAITING_TLS_CERT / CALLWAITING_TLS_KEY on an https:// URL beside its plain http:// one.
/// </summary>
public sealed class TlsServerFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cw-tls-").FullName;

    /// <summary>The running server; <see cref="ServerProcess.HttpsAddress"/> is its TLS endpoint.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The certificate the server was given (public part only).</summary>
    public X509Certificate2 Certificate { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var certificate = Path.Combine(_directory, "cert.pem");
        var key = Path.Combine(_directory, "key.pem");
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", certificate);
        Certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificate));
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["CALLWAITING_TLS_CERT"] = certificate,
            ["CALLWAITING_TLS_KEY"] = key,
        }, https: true);
    }

    /// <summary>A client for the https:// endpoint that trusts exactly this certificate (compared by SHA-256 thumbprint).</summary>
    public HttpClient CreateHttpsClient()
    {
        var expected = Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == expected,
        };
        return new HttpClient(handler) { BaseAddress = Server.HttpsAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static Task OpenSslAsync(params string[] args) => ProcessRunner.RunOrThrowAsync("openssl", args);
}
