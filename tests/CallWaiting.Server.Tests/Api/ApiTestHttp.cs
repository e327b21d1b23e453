using System.Net;
using System.Text;
using System.Text.Json;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Small HTTP helpers for the API tests: JSON bodies, TTS requests and error-shape checks.</summary>
internal static class ApiTestHttp
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? key, HttpContent? content = null, bool bearer = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        Authorize(request, key, bearer);

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? key, bool bearer = false) =>
        SendAsync(client, HttpMethod.Get, path, key, bearer: bearer);

    public static Task<HttpResponseMessage> TtsAsync(HttpClient client, string key, string json) =>
        SendAsync(client, HttpMethod.Post, "v1/tts", key, Json(json));

    /// <summary>Asserts the status and the contract's error body (problem details as application/json); returns the detail.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var detail = root.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        // ProblemDetails (RFC 9457) around the contract's members.
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("code").GetString()));
        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), root.GetProperty("request_id").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return detail!;
    }

    public static void AssertRateLimitHeaders(HttpResponseMessage response)
    {
        Assert.True(long.Parse(Header(response, "X-RateLimit-Limit")) > 0);
        Assert.True(long.Parse(Header(response, "X-RateLimit-Remaining")) >= 0);
        Assert.True(long.Parse(Header(response, "X-RateLimit-Reset")) > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);
    }

    public static async Task<double> MetricAsync(HttpClient client, string series)
    {
        var text = await client.GetStringAsync("metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
