using System.Net;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Web;

/// <summary>
/// Web sessions over HTTP on the in-process server (its fake clock moves sessions past their expiry): logging in with a
/// key, the cookie's flags, the session as a /v1 credential only with its CSRF token, and the key behind it read again
/// on every request.
/// </summary>
public sealed class WebSessionTests
{
    private static HttpClient Client(InProcessServer server, string baseAddress = "http://localhost/") =>
        server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri(baseAddress) });

    [Fact]
    public async Task Login_sets_an_httponly_strict_cookie_that_never_holds_the_key_and_answers_the_session()
    {
        await using var server = new InProcessServer(new Dictionary<string, string?> { ["Web:SessionLifetime"] = "02:00:00" });
        var client = Client(server);
        var session = await WebSession.LoginAsync(client, server.BootstrapKey);

        var flags = session.SetCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();
        Assert.StartsWith("cw_session=", session.Cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=strict", flags);
        Assert.Contains("path=/", flags);
        Assert.DoesNotContain("secure", flags); // plain HTTP: a Secure cookie would never come back
        Assert.DoesNotContain(server.BootstrapKey, session.SetCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(server.BootstrapKey[..ApiKeyFormat.LookupPrefixLength], session.SetCookie, StringComparison.Ordinal);

        var body = session.Body;
        Assert.Equal(Tenant.DefaultId, body.GetProperty("tenant_id").GetGuid());
        Assert.Equal(KeyService.BootstrapKeyName, body.GetProperty("api_key_name").GetString());
        Assert.Equal(new[] { "admin" }, body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToArray());
        Assert.Equal(server.Clock.GetUtcNow().AddHours(2), body.GetProperty("expires_at").GetDateTimeOffset());

        // After a reload the page reads its session (and the same CSRF token) back from the cookie alone.
        using (var current = await session.SendAsync(client, HttpMethod.Get, "web/session", csrf: null))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
            Assert.Equal("no-store", Header(current, "Cache-Control"));
            var again = await ReadJsonAsync(current);
            Assert.Equal(session.Csrf, again.GetProperty("csrf_token").GetString());
            Assert.Equal(body.GetProperty("api_key_id").GetGuid(), again.GetProperty("api_key_id").GetGuid());
        }

        // Behind HTTPS the cookie is Secure.
        var secure = await WebSession.LoginAsync(Client(server, "https://localhost/"), server.BootstrapKey);
        Assert.Contains("secure", secure.SetCookie.Split(';', StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant()));
        Assert.NotEqual(session.Csrf, secure.Csrf); // each login is its own session
    }

    [Fact]
    public async Task A_session_is_a_v1_credential_only_with_its_own_csrf_token_and_a_refused_request_changes_nothing()
    {
        await using var server = new InProcessServer();
        var client = Client(server);
        var session = await WebSession.LoginAsync(client, server.BootstrapKey);
        var other = await WebSession.LoginAsync(client, server.BootstrapKey);
        var tts = JsonSerializer.Serialize(new { text = "Only with the token.", voice_id = "james-en-us", format = "wav" });

        foreach (var csrf in new[] { null, "forged", other.Csrf, session.Csrf + "x", session.Csrf[..^1] })
        {
            using var refused = await session.SendAsync(client, HttpMethod.Post, "v1/tts", Json(tts), csrf: csrf);
            Assert.Contains("X-CSRF-Token", await AssertErrorAsync(refused, HttpStatusCode.Forbidden));
            Assert.Equal("csrf_failed", (await ReadJsonAsync(refused)).GetProperty("code").GetString());
        }

        using (var verify = await session.SendAsync(client, HttpMethod.Get, "v1/auth/verify"))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Equal(session.Body.GetProperty("api_key_id").GetGuid(), (await ReadJsonAsync(verify)).GetProperty("api_key_id").GetGuid());
        }

        // A key header wins over the cookie: the cookie is not even looked at.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "v1/auth/verify"))
        {
            var key = await server.CreateKeyAsync();
            request.Headers.Add("Cookie", session.Cookie);
            request.Headers.Add("x-api-key", key.Key);
            using var response = await client.SendAsync(request);
            Assert.Equal(key.Id, (await ReadJsonAsync(response)).GetProperty("api_key_id").GetGuid());
        }

        // Only the request with the token was served and metered: the key's usage shows one request (the refused ones
        // would have been metered with it, before it).
        using (var spoken = await session.SendAsync(client, HttpMethod.Post, "v1/tts", Json(tts)))
        {
            Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
            var audio = await ServerAudio.AnalyzeAsync(await spoken.Content.ReadAsByteArrayAsync(), "wav");
            Assert.True(audio.RmsAmplitude > 0.01, "the answer is speech, not silence");
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        long requests;
        do
        {
            using var usage = await GetAsync(client, "v1/usage", server.BootstrapKey);
            requests = (await ReadJsonAsync(usage)).EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64());
        }
        while (requests < 1 && DateTime.UtcNow < deadline && await Pause());
        Assert.Equal(1, requests);
    }

    [Fact]
    public async Task A_wrong_login_is_401_and_spends_the_same_failed_authentication_budget_as_a_wrong_key_header()
    {
        await using var server = new InProcessServer(new Dictionary<string, string?> { ["RateLimits:FailedAuthPerIpPerMinute"] = "3" });
        var client = Client(server);

        using (var wrong = await WebSession.TryLoginAsync(client, ApiKeyFormat.Generate()))
        {
            await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }
        using (var malformed = await WebSession.TryLoginAsync(client, "not-a-key")) await AssertErrorAsync(malformed, HttpStatusCode.Unauthorized);
        using (var header = await GetAsync(client, "v1/auth/verify", ApiKeyFormat.Generate())) await AssertErrorAsync(header, HttpStatusCode.Unauthorized);

        // Three failures, two of them logins: the address's budget is spent for logins and key headers alike, right key or not.
        using (var login = await WebSession.TryLoginAsync(client, server.BootstrapKey))
        {
            await AssertErrorAsync(login, HttpStatusCode.TooManyRequests);
            Assert.False(login.Headers.Contains("Set-Cookie"));
        }
        using (var api = await GetAsync(client, "v1/auth/verify", server.BootstrapKey)) await AssertErrorAsync(api, HttpStatusCode.TooManyRequests);

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await WebSession.LoginAsync(client, server.BootstrapKey);
    }

    [Fact]
    public async Task A_forged_cookie_is_401_and_counts_as_a_failed_authentication()
    {
        await using var server = new InProcessServer(new Dictionary<string, string?> { ["RateLimits:FailedAuthPerIpPerMinute"] = "2" });
        var client = Client(server);
        var session = await WebSession.LoginAsync(client, server.BootstrapKey);
        var value = session.Cookie["cw_session=".Length..];
        var forged = session with { Cookie = "cw_session=" + (value[0] == 'A' ? 'B' : 'A') + value[1..] };

        for (var i = 0; i < 2; i++)
        {
            using var refused = await forged.SendAsync(client, HttpMethod.Get, "v1/auth/verify");
            Assert.Equal("invalid_session", (await ReadJsonAsync(refused)).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var blocked = await session.SendAsync(client, HttpMethod.Get, "v1/auth/verify");
        await AssertErrorAsync(blocked, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Revoking_the_key_or_suspending_its_tenant_ends_its_sessions()
    {
        await using var server = new InProcessServer();
        var client = Client(server);
        var keys = server.Services.GetRequiredService<KeyService>();
        var tenants = server.Services.GetRequiredService<TenantService>();
        await tenants.CreateAsync("Acme", "acme");
        var revoked = await server.CreateKeyAsync();
        var acme = (await keys.CreateKeysAsync(new CreateKeysRequest { Name = "acme", TenantSlug = "acme" }))[0];
        var first = await WebSession.LoginAsync(client, revoked.Key);
        var second = await WebSession.LoginAsync(client, acme.Key);
        foreach (var session in new[] { first, second })
        {
            using var ok = await session.SendAsync(client, HttpMethod.Get, "v1/voices");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await keys.RevokeAsync(revoked.Id);
        await tenants.SuspendAsync("acme");

        foreach (var (session, code) in new[] { (first, "api_key_revoked"), (second, "api_key_suspended") })
        {
            using (var refused = await session.SendAsync(client, HttpMethod.Get, "v1/voices"))
            {
                await AssertErrorAsync(refused, HttpStatusCode.Forbidden);
                Assert.Equal(code, (await ReadJsonAsync(refused)).GetProperty("code").GetString());
            }

            using var current = await session.SendAsync(client, HttpMethod.Get, "web/session", csrf: null);
            await AssertErrorAsync(current, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_session_ends_at_its_lifetime_and_logging_out_needs_the_csrf_token()
    {
        await using var server = new InProcessServer(new Dictionary<string, string?> { ["Web:SessionLifetime"] = "00:10:00" });
        var client = Client(server);
        var session = await WebSession.LoginAsync(client, server.BootstrapKey);

        server.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        using (var late = await session.SendAsync(client, HttpMethod.Get, "v1/auth/verify")) Assert.Equal(HttpStatusCode.OK, late.StatusCode);

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var expired = await session.SendAsync(client, HttpMethod.Get, "v1/auth/verify"))
        {
            await AssertErrorAsync(expired, HttpStatusCode.Forbidden);
            Assert.Equal("session_expired", (await ReadJsonAsync(expired)).GetProperty("code").GetString());
        }
        using (var gone = await session.SendAsync(client, HttpMethod.Get, "web/session", csrf: null))
        {
            await AssertErrorAsync(gone, HttpStatusCode.Unauthorized);
            Assert.Equal("no_session", (await ReadJsonAsync(gone)).GetProperty("code").GetString());
        }

        var fresh = await WebSession.LoginAsync(client, server.BootstrapKey);
        using (var forgedLogout = await fresh.SendAsync(client, HttpMethod.Delete, "web/session", csrf: session.Csrf))
            await AssertErrorAsync(forgedLogout, HttpStatusCode.Forbidden);
        using (var still = await fresh.SendAsync(client, HttpMethod.Get, "v1/auth/verify")) Assert.Equal(HttpStatusCode.OK, still.StatusCode);

        using var logout = await fresh.SendAsync(client, HttpMethod.Delete, "web/session");
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = logout.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("cw_session=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_login_body_that_is_not_a_key_object_is_a_clear_400_or_415()
    {
        await using var server = new InProcessServer();
        var client = Client(server);
        foreach (var body in new[] { "{}", "[]", """{"key":42}""", """{"key":"x","extra":1}""", "{" })
        {
            using var response = await client.PostAsync("web/session", Json(body));
            await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        }
        using var text = await client.PostAsync("web/session", new StringContent("cw_live_x"));
        await AssertErrorAsync(text, HttpStatusCode.UnsupportedMediaType);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }
}
