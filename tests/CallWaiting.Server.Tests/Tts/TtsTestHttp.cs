using System.Net.Http.Headers;
using System.Text;
using CallWaiting.Server.Tests.Api;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>HTTP helpers for the Tts and Cache tests: JSON posts that may return as soon as the headers arrive, and server metrics.</summary>
internal static class TtsTestHttp
{
    /// <summary>POSTs JSON with the key; with <paramref name="headersOnly"/> the body is left unread for streaming checks.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string key, string json, bool headersOnly = false,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        Authorize(request, key);
        return client.SendAsync(request, headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>POSTs to /v1/tts and returns the status, X-Cache and body.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, string? Cache, byte[] Body, HttpContentHeaders Headers)> SynthesizeAsync(HttpClient client, string key, string json)
    {
        using var response = await PostAsync(client, "v1/tts", key, json);
        var body = await response.Content.ReadAsByteArrayAsync();
        var cache = response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;
        return (response.StatusCode, cache, body, response.Content.Headers);
    }

    /// <summary>Polls a gauge until it reads <paramref name="expected"/> or the timeout passes; returns the last value.</summary>
    public static async Task<double> WaitForMetricAsync(HttpClient client, string series, double expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double value;
        while ((value = await ApiTestHttp.MetricAsync(client, series)) != expected && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        return value;
    }

    /// <summary>A long text (about <paramref name="characters"/> characters) of distinct sentences, unique per call so it is never cached.</summary>
    public static string LongText(int characters)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var text = new StringBuilder();
        for (var i = 1; text.Length < characters - 80; i++)
            text.Append($"Sentence number {i} of request {tag} keeps the caller company while they wait. ");
        return text.ToString().Trim();
    }
}
