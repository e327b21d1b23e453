using System.Net.Http.Headers;
using System.Text.Json;

namespace CallWaiting.Testing;

/// <summary>HTTP helpers every API test uses: the API key on a request, JSON bodies read back, and single response headers.</summary>
public static class TestHttp
{
    /// <summary>Puts <paramref name="key"/> on the request as a bearer token (as the OpenAI SDKs send it) or in x-api-key; no key, no header.</summary>
    public static void Authorize(HttpRequestMessage request, string? key, bool bearer = false)
    {
        if (key is null) return;
        if (bearer) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        else request.Headers.Add("x-api-key", key);
    }

    /// <summary>The response's JSON body, detached from its document.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The single value of a response or content header; fails the test when it is missing.</summary>
    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.Single()
        : throw new Xunit.Sdk.XunitException($"Missing header {name}");
}
