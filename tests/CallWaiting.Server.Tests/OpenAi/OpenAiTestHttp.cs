using System.Net;
using System.Text;
using System.Text.Json;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>HTTP helpers for the OpenAI-compatible API tests: speech requests, SSE parsing and OpenAI error-shape checks.</summary>
internal static class OpenAiTestHttp
{
    public const string Sentence = "Thank you for calling. Please hold.";

    /// <summary>POST v1/audio/speech with the key as a bearer token (as the OpenAI SDKs send it), or in x-api-key.</summary>
    public static async Task<HttpResponseMessage> SpeechAsync(HttpClient client, string? key, string json, bool bearer = true,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        Authorize(request, key, bearer);
        return await client.SendAsync(request, completion);
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? key, bool bearer = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Authorize(request, key, bearer);
        return await client.SendAsync(request);
    }

    public static string Body(string voice = "alloy", string format = "pcm", string input = Sentence, string model = "tts-1", string extra = "") =>
        JsonSerializer.Serialize(new { model, input, voice, response_format = format })[..^1] + extra + "}";

    /// <summary>Asserts the status and OpenAI's error shape (exactly message, type, param, code); returns the error object.</summary>
    public static async Task<JsonElement> AssertOpenAiErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null, string? param = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        var error = root.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        var expectedType = status switch
        {
            HttpStatusCode.TooManyRequests => "requests",
            >= HttpStatusCode.InternalServerError => "server_error",
            _ => "invalid_request_error",
        };
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return error.Clone();
    }

    /// <summary>The JSON payloads of a complete SSE body, in order; asserts every event is a single data line.</summary>
    public static List<JsonElement> ParseSse(string body)
    {
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var events = new List<JsonElement>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', block);
            using var document = JsonDocument.Parse(block["data: ".Length..]);
            events.Add(document.RootElement.Clone());
        }
        return events;
    }
}
