using System.Net;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Web;
using static CallWaiting.Server.Tests.Admin.AdminApiHttp;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>
/// The admin JSON API on a real server (PostgreSQL, Redis): the operator's whole key life cycle, each change in the audit
/// log; a tenant's own admin confined to its tenant (another tenant's ids are 404 and nothing changes); a non-admin key
/// refused; bad input answered with a 400 that says what is wrong.
/// </summary>
public sealed class AdminApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private string Operator => fixture.Server.BootstrapKey;

    [Fact]
    public async Task The_operator_creates_a_tenant_and_a_key_shown_once_then_changes_suspends_rotates_and_revokes_it_and_each_step_is_audited()
    {
        const string Name = "<img src=x onerror=alert(1)>";
        var tenant = await OkAsync(PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = Name, slug = "lifecycle", plan = "pro" }), HttpStatusCode.Created);
        Assert.Equal(Name, tenant.GetProperty("name").GetString());
        Assert.Equal("pro", tenant.GetProperty("plan").GetString());
        var tenantId = tenant.GetProperty("id").GetGuid();
        var listed = await OkAsync(GetAsync(Client, "v1/admin/tenants", Operator));
        Assert.Equal(Name, listed.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == tenantId).GetProperty("name").GetString());

        var expires = DateTimeOffset.UtcNow.AddDays(2);
        var created = await OkAsync(PostJsonAsync(Client, "v1/admin/keys", Operator, new
        {
            tenant_id = tenantId,
            name = "voice agent",
            scopes = new[] { "tts:write" },
            rate_limit_per_min = 7,
            allowed_origins = new[] { "https://app.example.com" },
            expires_at = expires,
        }), HttpStatusCode.Created);
        var secret = created.GetProperty("key").GetString()!;
        var keyId = created.GetProperty("id").GetGuid();
        Assert.StartsWith(created.GetProperty("key_prefix").GetString()!, secret, StringComparison.Ordinal);
        Assert.Equal(new[] { "tts:write" }, created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal(7, created.GetProperty("rate_limit_per_min").GetInt32());
        Assert.Equal(StorageMicroseconds(expires), created.GetProperty("expires_at").GetDateTimeOffset());

        // The key works as created: its scope, its limit (X-RateLimit-Limit), and it is never shown again.
        using (var verify = await GetAsync(Client, "v1/auth/verify", secret))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Equal("7", Header(verify, "X-RateLimit-Limit"));
        }
        var keys = await OkAsync(GetAsync(Client, $"v1/admin/keys?tenant_id={tenantId}", Operator));
        var row = Assert.Single(keys.EnumerateArray());
        Assert.False(row.TryGetProperty("key", out _));
        Assert.DoesNotContain(secret, keys.GetRawText(), StringComparison.Ordinal);

        // New settings apply to the very next request.
        var patched = await OkAsync(PatchJsonAsync(Client, $"v1/admin/keys/{keyId}", Operator, new { scopes = new[] { "tts:write", "voices:read" }, rate_limit_per_min = 9, expires_at = (DateTimeOffset?)null }));
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("expires_at").ValueKind);
        using (var voices = await GetAsync(Client, "v1/voices", secret))
        {
            Assert.Equal(HttpStatusCode.OK, voices.StatusCode);
            Assert.Equal("9", Header(voices, "X-RateLimit-Limit"));
        }

        await OkAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{keyId}/suspend", Operator));
        Assert.Equal(HttpStatusCode.Forbidden, await VerifyAsync(Client, secret));
        await OkAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{keyId}/activate", Operator));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Client, secret));

        var rotated = await OkAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{keyId}/rotate", Operator));
        var newSecret = rotated.GetProperty("key").GetString()!;
        Assert.NotEqual(keyId, rotated.GetProperty("id").GetGuid());
        Assert.Equal(new[] { "tts:write", "voices:read" }, rotated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());
        Assert.Equal(9, rotated.GetProperty("rate_limit_per_min").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, await VerifyAsync(Client, secret));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Client, newSecret));

        var newId = rotated.GetProperty("id").GetGuid();
        var revoked = await OkAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{newId}/revoke", Operator));
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, await VerifyAsync(Client, newSecret));
        await RefusedAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{newId}/activate", Operator), HttpStatusCode.Conflict, "conflict");

        var audit = await OkAsync(GetAsync(Client, $"v1/admin/audit?tenant_id={tenantId}", Operator));
        var operatorKeyId = (await OkAsync(GetAsync(Client, "v1/auth/verify", Operator))).GetProperty("api_key_id").GetGuid();
        Assert.Equal(
            new[] { "key.revoke", "key.rotate", "key.activate", "key.suspend", "key.update", "key.create", "tenant.create" },
            audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
        Assert.All(audit.EnumerateArray(), e => Assert.Equal(operatorKeyId, e.GetProperty("api_key_id").GetGuid()));
        Assert.DoesNotContain(secret, audit.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(newSecret, audit.GetRawText(), StringComparison.Ordinal);
        var page = await OkAsync(GetAsync(Client, $"v1/admin/audit?tenant_id={tenantId}&limit=2&before={audit[1].GetProperty("id").GetInt64()}", Operator));
        Assert.Equal(new[] { "key.activate", "key.suspend" }, page.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_tenant_admin_administers_only_its_own_tenant_and_another_tenants_ids_are_404_with_nothing_changed()
    {
        var mine = await fixture.Store.Tenants.CreateAsync("Mine", "mine");
        var theirs = await fixture.Store.Tenants.CreateAsync("Theirs", "theirs");
        var admin = (await fixture.Store.CreateKeyAsync("mine", Scopes.Admin)).Key;
        var victim = await fixture.Store.CreateKeyAsync("theirs");

        var tenants = await OkAsync(GetAsync(Client, "v1/admin/tenants", admin));
        Assert.Equal(new[] { mine.Id }, tenants.EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToArray());
        await RefusedAsync(PostJsonAsync(Client, "v1/admin/tenants", admin, new { name = "New", slug = "new-one" }), HttpStatusCode.Forbidden, "operator_only");
        await RefusedAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{mine.Id}", admin, new { plan = "enterprise" }), HttpStatusCode.Forbidden, "operator_only");
        await RefusedAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{mine.Id}", admin, new { status = "suspended" }), HttpStatusCode.Forbidden, "operator_only");
        Assert.Equal("Mine, renamed", (await OkAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{mine.Id}", admin, new { name = "Mine, renamed" }))).GetProperty("name").GetString());

        var theirKey = victim.Id;
        await RefusedAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{theirs.Id}", admin, new { name = "Taken over" }), HttpStatusCode.NotFound, "tenant_not_found");
        await RefusedAsync(GetAsync(Client, $"v1/admin/keys?tenant_id={theirs.Id}", admin), HttpStatusCode.NotFound, "tenant_not_found");
        await RefusedAsync(GetAsync(Client, $"v1/admin/voices?tenant_id={theirs.Id}", admin), HttpStatusCode.NotFound, "tenant_not_found");
        await RefusedAsync(GetAsync(Client, $"v1/admin/audit?tenant_id={theirs.Id}", admin), HttpStatusCode.NotFound, "tenant_not_found");
        await RefusedAsync(PostJsonAsync(Client, "v1/admin/keys", admin, new { tenant_id = theirs.Id, name = "planted" }), HttpStatusCode.NotFound, "tenant_not_found");
        await RefusedAsync(PatchJsonAsync(Client, $"v1/admin/keys/{theirKey}", admin, new { scopes = new[] { "admin" } }), HttpStatusCode.NotFound, "key_not_found");
        foreach (var action in new[] { "revoke", "suspend", "activate", "rotate" })
            await RefusedAsync(SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{theirKey}/{action}", admin), HttpStatusCode.NotFound, "key_not_found");

        // Nothing of theirs changed: their key works with its old scopes, their name and key list are as they were.
        var stillTheirs = (await fixture.Store.Keys.ListKeysAsync("theirs")).Single();
        Assert.Equal(ApiKeyStatus.Active, stillTheirs.Status);
        Assert.False(stillTheirs.HasScope(Scopes.Admin));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Client, victim.Key));
        Assert.Equal("Theirs", (await fixture.Store.Tenants.ListAsync()).Single(t => t.Id == theirs.Id).Name);

        // Its own listings hold only its tenant; a key it creates lands in its tenant whatever it asks.
        var created = await OkAsync(PostJsonAsync(Client, "v1/admin/keys", admin, new { name = "own" }), HttpStatusCode.Created);
        Assert.Equal(mine.Id, created.GetProperty("tenant_id").GetGuid());
        var keys = await OkAsync(GetAsync(Client, "v1/admin/keys", admin));
        Assert.All(keys.EnumerateArray(), k => Assert.Equal(mine.Id, k.GetProperty("tenant_id").GetGuid()));
        var audit = await OkAsync(GetAsync(Client, "v1/admin/audit", admin));
        Assert.NotEmpty(audit.EnumerateArray());
        Assert.All(audit.EnumerateArray(), e => Assert.Equal(mine.Id, e.GetProperty("tenant_id").GetGuid()));
        var voices = await OkAsync(GetAsync(Client, "v1/admin/voices", admin));
        Assert.All(voices.EnumerateArray(), v => Assert.True(v.GetProperty("is_public").GetBoolean() || v.GetProperty("tenant_id").GetGuid() == mine.Id));
    }

    [Fact]
    public async Task Suspending_a_tenant_stops_its_cached_keys_at_once_and_activating_it_restores_them()
    {
        var tenant = await fixture.Store.Tenants.CreateAsync("Paused", "paused");
        var key = (await fixture.Store.CreateKeyAsync("paused")).Key;
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Client, key)); // now in this server's verification cache

        var suspended = await OkAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{tenant.Id}", Operator, new { status = "suspended" }));
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        await RefusedAsync(GetAsync(Client, "v1/auth/verify", key), HttpStatusCode.Forbidden, "api_key_suspended");

        await OkAsync(PatchJsonAsync(Client, $"v1/admin/tenants/{tenant.Id}", Operator, new { status = "active" }));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Client, key));
    }

    [Fact]
    public async Task A_key_without_the_admin_scope_is_403_and_changes_nothing()
    {
        var plain = (await fixture.Store.CreateKeyAsync()).Key;
        var before = (await fixture.Store.Tenants.ListAsync()).Count;
        await RefusedAsync(GetAsync(Client, "v1/admin/tenants", plain), HttpStatusCode.Forbidden, "insufficient_scope");
        await RefusedAsync(PostJsonAsync(Client, "v1/admin/tenants", plain, new { name = "Sneaky", slug = "sneaky" }), HttpStatusCode.Forbidden, "insufficient_scope");
        await RefusedAsync(PostJsonAsync(Client, "v1/admin/keys", plain, new { name = "escalate", scopes = new[] { "admin" } }), HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(before, (await fixture.Store.Tenants.ListAsync()).Count);
        Assert.DoesNotContain(await fixture.Store.Keys.ListKeysAsync(), k => k.Name == "escalate");
    }

    [Fact]
    public async Task A_session_changes_something_only_with_its_csrf_token()
    {
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Server.BaseAddress };
        var session = await WebSession.LoginAsync(browser, Operator);
        var body = JsonSerializer.Serialize(new { name = "Via session", slug = "via-session" });

        foreach (var csrf in new[] { null, "forged" })
        {
            using var refused = await session.SendAsync(browser, HttpMethod.Post, "v1/admin/tenants", Json(body), csrf);
            await AssertErrorAsync(refused, HttpStatusCode.Forbidden);
        }
        Assert.DoesNotContain(await fixture.Store.Tenants.ListAsync(), t => t.Slug == "via-session");

        using var created = await session.SendAsync(browser, HttpMethod.Post, "v1/admin/tenants", Json(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(await fixture.Store.Tenants.ListAsync(), t => t.Slug == "via-session");
    }

    [Fact]
    public async Task Bad_input_is_a_400_that_names_the_problem()
    {
        var defaultId = Tenant.DefaultId;
        var revoked = await fixture.Store.CreateKeyAsync();
        await fixture.Store.Keys.RevokeAsync(revoked.Id);
        var cases = new (Func<Task<HttpResponseMessage>> Request, HttpStatusCode Status, string Says)[]
        {
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "", slug = "empty-name" }), HttpStatusCode.BadRequest, "tenant name"),
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "Bad", slug = "Bad Slug" }), HttpStatusCode.BadRequest, "not a valid slug"),
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "Nul\u0000Co", slug = "nul-co" }), HttpStatusCode.BadRequest, "control characters"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "bell\u0007" }), HttpStatusCode.BadRequest, "control characters"),
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "No slug" }), HttpStatusCode.BadRequest, "'slug' is required"),
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "Default again", slug = "default" }), HttpStatusCode.Conflict, "already exists"),
            (() => PostJsonAsync(Client, "v1/admin/tenants", Operator, new { name = "X", slug = "x", owner = "me" }), HttpStatusCode.BadRequest, "Unknown field 'owner'"),
            (() => PatchJsonAsync(Client, $"v1/admin/tenants/{defaultId}", Operator, new { status = "deleted" }), HttpStatusCode.BadRequest, "'active' or 'suspended'"),
            (() => PatchJsonAsync(Client, $"v1/admin/tenants/{defaultId}", Operator, new { status = "suspended" }), HttpStatusCode.Conflict, "cannot be suspended"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", scopes = new[] { "root" } }), HttpStatusCode.BadRequest, "Unknown scope(s) root"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", scopes = Array.Empty<string>() }), HttpStatusCode.BadRequest, "At least one scope"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", rate_limit_per_min = 0 }), HttpStatusCode.BadRequest, "Rate limits must be positive"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", rate_limit_per_day = "lots" }), HttpStatusCode.BadRequest, "'rate_limit_per_day' must be a whole number"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", expires_at = "2001-01-01T00:00:00Z" }), HttpStatusCode.BadRequest, "not in the future"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", expires_at = "tomorrow" }), HttpStatusCode.BadRequest, "ISO 8601"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", allowed_origins = new[] { "ftp://files.example.com" } }), HttpStatusCode.BadRequest, "is not an origin"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", tenant_id = "acme" }), HttpStatusCode.BadRequest, "an id (UUID)"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = "k", tenant_id = Guid.NewGuid() }), HttpStatusCode.NotFound, "No tenant"),
            (() => PostJsonAsync(Client, "v1/admin/keys", Operator, new { name = new string('n', 201) }), HttpStatusCode.BadRequest, "key name must be 1-200"),
            (() => PatchJsonAsync(Client, $"v1/admin/keys/{revoked.Id}", Operator, new { name = "revived" }), HttpStatusCode.Conflict, "revocation is final"),
            (() => PatchJsonAsync(Client, "v1/admin/keys/not-an-id", Operator, new { name = "x" }), HttpStatusCode.NotFound, "No key"),
            (() => SendAsync(Client, HttpMethod.Post, $"v1/admin/keys/{revoked.Id}/explode", Operator), HttpStatusCode.NotFound, "Unknown action"),
            (() => SendAsync(Client, HttpMethod.Post, "v1/admin/tenants", Operator, new StringContent("name=x")), HttpStatusCode.UnsupportedMediaType, "application/json"),
            (() => SendAsync(Client, HttpMethod.Post, "v1/admin/tenants", Operator, Json("[1,2]")), HttpStatusCode.BadRequest, "JSON object"),
            (() => GetAsync(Client, "v1/admin/audit?limit=0", Operator), HttpStatusCode.BadRequest, "limit"),
            (() => GetAsync(Client, "v1/admin/keys?tenant_id=acme", Operator), HttpStatusCode.BadRequest, "tenant_id"),
        };
        foreach (var (request, status, says) in cases)
        {
            using var response = await request();
            Assert.Contains(says, await AssertErrorAsync(response, status), StringComparison.Ordinal);
        }
    }

    // Instants are stored to the microsecond.
    private static DateTimeOffset StorageMicroseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));
}
