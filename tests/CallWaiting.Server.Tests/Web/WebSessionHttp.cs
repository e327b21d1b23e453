using System.Net;
using System.Text.Json;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Web;

/// <summary>A logged-in browser as the HTTP tests play it: the session cookie, the CSRF token and the login's answer.</summary>
internal sealed record WebSession(string Cookie, string Csrf, JsonElement Body, string SetCookie)
{
    /// <summary>Logs in with <paramref name="key"/> through POST /web/session; fails the test unless it answers 200 with a cookie.</summary>
    public static async Task<WebSession> LoginAsync(HttpClient client, string key)
    {
        using var response = await TryLoginAsync(client, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login answered {(int)response.StatusCode}: {text}");
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        return new WebSession(setCookie.Split(';')[0], body.GetProperty("csrf_token").GetString()!, body, setCookie);
    }

    /// <summary>POST /web/session with <paramref name="key"/>, whatever it answers.</summary>
    public static Task<HttpResponseMessage> TryLoginAsync(HttpClient client, string key) =>
        client.PostAsync("web/session", Json(JsonSerializer.Serialize(new { key })));

    /// <summary>Sends a request with this session's cookie, and its CSRF token unless <paramref name="csrf"/> is null (or another one when given).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null, string? csrf = "")
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", Cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf.Length == 0 ? Csrf : csrf);
        return await client.SendAsync(request);
    }
}
