using System.Net;
using System.Security.Authentication;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Tls;

/// <summary>Kestrel HTTPS from configured PEM files: the configured certificate is served, and HSTS goes out over HTTPS only.</summary>
public sealed class TlsTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    [Fact]
    public async Task Health_over_https_uses_the_configured_certificate_and_sends_hsts()
    {
        using var client = fixture.CreateHttpsClient();
        using var response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await ReadJsonAsync(response)).GetProperty("status").GetString());
        var hsts = Header(response, "Strict-Transport-Security");
        Assert.StartsWith("max-age=", hsts);
        Assert.True(long.Parse(hsts["max-age=".Length..].Split(';')[0]) >= 180 * 24 * 3600, $"HSTS lasts too briefly: {hsts}");
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));

        using var verify = await GetAsync(client, "v1/auth/verify", fixture.Server.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.True((await ReadJsonAsync(verify)).GetProperty("valid").GetBoolean());
        Assert.Equal(hsts, Header(verify, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_certificate_is_self_signed_so_a_default_client_refuses_it()
    {
        // Proves the trusting client above accepted this exact certificate rather than some system-trusted one.
        using var client = new HttpClient { BaseAddress = fixture.Server.HttpsAddress, Timeout = TimeSpan.FromSeconds(60) };
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("health"));
        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task Plain_http_beside_it_sends_no_hsts_but_the_other_security_headers()
    {
        using var response = await fixture.Server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }
}
