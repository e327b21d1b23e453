using System.Net;
using System.Text.Json;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>Admin API calls with a key header, as the admin tests make them.</summary>
internal static class AdminApiHttp
{
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string key, object body) =>
        SendAsync(client, HttpMethod.Post, path, key, Json(JsonSerializer.Serialize(body)));

    public static Task<HttpResponseMessage> PatchJsonAsync(HttpClient client, string path, string key, object body) =>
        SendAsync(client, HttpMethod.Patch, path, key, Json(JsonSerializer.Serialize(body)));

    /// <summary>The JSON answer of a request that must succeed with <paramref name="status"/>.</summary>
    public static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> sending, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the error status and code of a request; returns the detail.</summary>
    public static async Task<string> RefusedAsync(Task<HttpResponseMessage> sending, HttpStatusCode status, string code)
    {
        using var response = await sending;
        var detail = await AssertErrorAsync(response, status);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, document.RootElement.GetProperty("code").GetString());
        return detail;
    }

    public static async Task<HttpStatusCode> VerifyAsync(HttpClient client, string key)
    {
        using var response = await GetAsync(client, "v1/auth/verify", key);
        return response.StatusCode;
    }
}
