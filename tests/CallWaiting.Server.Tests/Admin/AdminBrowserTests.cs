using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>
/// The admin dashboard in a real browser (Debian's Chromium, driven by playwright-core through tests/node/browser/admin.mjs)
/// against a real server: a new operator logs in with the printed key, creates a tenant and a key for it, sees the key
/// once, revokes it, and requests with it then fail; the forms work from the keyboard; nothing leaves the origin.
/// </summary>
public sealed class AdminBrowserTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_operator_logs_in_creates_a_tenant_and_a_key_sees_it_once_revokes_it_and_the_key_then_fails()
    {
        var screenshots = Path.Combine(NodeScript.Folder("browser"), "..", "..", "..", "artifacts", "screenshots");
        var output = await NodeScript.RunAsync("browser", "playwright-core", "admin.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = fixture.Server.BaseAddress.ToString(),
            ["API_KEY"] = fixture.Server.BootstrapKey,
            ["SCREENSHOTS"] = Path.GetFullPath(screenshots),
        }, TimeSpan.FromMinutes(3));
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement;
        string[] Strings(string name) => result.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

        // A clean run: no console or page errors, no failed request, nothing fetched from elsewhere. The one expected
        // network error is the 401 of GET /web/session before logging in (Chromium logs every non-2xx fetch).
        Assert.Empty(Strings("consoleErrors"));
        Assert.Empty(Strings("pageErrors"));
        Assert.Empty(Strings("failedRequests"));
        Assert.Empty(Strings("foreignRequests"));
        Assert.All(Strings("expectedNetworkErrors"), e => Assert.Contains("/web/session", e, StringComparison.Ordinal));

        // Keyboard: Tab goes from the page's first control straight to the key field and its button (the hidden nav and
        // logout are skipped), and through every control of the create-key form in reading order; Enter submitted both.
        Assert.Equal(new[] { "a:CallWaiting TTS · Admin", "login-key", "button:Log in" }, Strings("loginTabOrder"));
        Assert.Equal("bootstrap", result.GetProperty("loggedInAs").GetString());
        Assert.Equal(
            new[] { "new-name", "checkbox:tts:write", "checkbox:voices:read", "checkbox:voices:write", "checkbox:usage:read", "checkbox:admin",
                "new-per-min", "new-per-day", "new-origins", "new-expires", "create-key" },
            Strings("keyFormTabOrder"));

        // The injected tenant name is text: shown verbatim, no image element, nothing ran.
        Assert.Equal("<img src=x onerror=window.__injected=1>", result.GetProperty("tenantNameShown").GetString());
        Assert.Equal(0, result.GetProperty("imagesInSection").GetInt32());
        Assert.False(result.GetProperty("injectionRan").GetBoolean());

        // The key was shown once (copied whole by the button), worked, was gone after a reload, and failed once revoked.
        Assert.Equal("cw_live_", result.GetProperty("keyShown").GetString());
        Assert.True(result.GetProperty("clipboardMatches").GetBoolean());
        Assert.True(result.GetProperty("prefixMatches").GetBoolean());
        Assert.False(result.GetProperty("secretAfterReload").GetBoolean());
        var before = result.GetProperty("before");
        Assert.Equal(200, before.GetProperty("status").GetInt32());
        Assert.Equal("audio/wav", before.GetProperty("contentType").GetString());
        Assert.Equal("RIFF", before.GetProperty("riff").GetString());
        Assert.True(before.GetProperty("bytes").GetInt32() > 10_000);
        Assert.Equal(403, result.GetProperty("after").GetProperty("status").GetInt32());

        Assert.True(result.GetProperty("voiceRows").GetInt32() > 0);
        Assert.True(result.GetProperty("loggedOut").GetBoolean());
        var shots = Strings("screenshots");
        Assert.Equal(5, shots.Length);
        Assert.All(shots, path => Assert.True(new FileInfo(path).Length > 5_000, path));
    }
}
