using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Thousands of malformed and hostile requests to POST /v1/tts: never a 5xx, never a hang, and the server stays healthy.</summary>
public sealed class TtsFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Requests = 3000;

    [Fact]
    public async Task Hostile_bodies_and_headers_never_get_a_5xx_or_hang()
    {
        var random = new Random(20_26);
        var cases = Enumerable.Range(0, Requests).Select(i => Case(random, i)).ToList();
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/tts") { Content = new ByteArrayContent(c.Body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            request.Headers.TryAddWithoutValidation("x-api-key", c.Key ?? fixture.Server.BootstrapKey);
            foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
            try
            {
                using var response = await client.SendAsync(request, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if ((int)response.StatusCode >= 500)
                    lock (failures) failures.Add($"{(int)response.StatusCode} for {c.Name}: {Encoding.UTF8.GetString(c.Body[..Math.Min(200, c.Body.Length)])}");
            }
            catch (TaskCanceledException)
            {
                lock (failures) failures.Add($"hang for {c.Name}");
            }
            catch (HttpRequestException) when (c.MayReset)
            {
                // Kestrel may close the connection on a protocol-level refusal (e.g. 431 for giant headers).
            }
        });

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        using var health = await fixture.Server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private sealed record FuzzCase(string Name, byte[] Body, string ContentType, string? Key, (string, string)[] Headers, bool MayReset = false);

    private static FuzzCase Case(Random random, int i)
    {
        string[] voices = ["emily-en-us", "nobody", "", "../../etc/passwd", Guid.NewGuid().ToString(), "EMILY-EN-US", "\u0000", new string('x', 300)];
        string[] values = ["null", "true", "0", "-1", "1e309", "-1e400", "99999999999999999999999", "3.5", "\"\"", "[]", "{}", "\"wav\"", "\"\\ud800\"", "\"\\u0000\"", "NaN", "0.5", "2.0"];
        string[] fields = ["text", "voice_id", "format", "speed", "seed", "sample_rate", "ssml", "__proto__"];
        switch (i % 10)
        {
            case 0:
            {
                var body = new byte[random.Next(0, 300)];
                random.NextBytes(body);
                return new FuzzCase("random bytes", body, "application/json", null, []);
            }
            case 1:
            {
                var members = Enumerable.Range(0, random.Next(0, 6)).Select(_ => $"\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]}");
                return new FuzzCase("wrong types", Encoding.UTF8.GetBytes("{" + string.Join(",", members) + "}"), "application/json", null, []);
            }
            case 2:
            {
                var depth = random.Next(10, 5000);
                return new FuzzCase("deep nesting", Encoding.UTF8.GetBytes($"{{\"text\":{new string('[', depth)}{new string(']', depth)},\"voice_id\":\"emily-en-us\"}}"), "application/json", null, []);
            }
            case 3:
            {
                var prefix = Encoding.UTF8.GetBytes("{\"text\":\"");
                byte[] invalid = [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0xF8];
                var suffix = Encoding.UTF8.GetBytes("\",\"voice_id\":\"emily-en-us\",\"format\":\"ulaw\"}");
                return new FuzzCase("invalid utf-8", [.. prefix, .. invalid.Take(random.Next(1, invalid.Length)), .. suffix], "application/json", null, []);
            }
            case 4:
            {
                var json = $"{{\"text\":\"Hi.\",\"voice_id\":\"{Escape(voices[random.Next(voices.Length)])}\",\"format\":\"ulaw\",\"speed\":{values[random.Next(values.Length)]}}}";
                return new FuzzCase("mutated valid", Encoding.UTF8.GetBytes(json), "application/json", null, []);
            }
            case 5:
            {
                string[] types = ["text/plain", "", "application/xml", "application/json; charset=utf-16", "multipart/form-data; boundary=x", ";;;", "application/vnd.api+json"];
                return new FuzzCase("content types", Encoding.UTF8.GetBytes("{\"text\":\"Hi.\",\"voice_id\":\"nobody\"}"), types[random.Next(types.Length)], null, []);
            }
            case 6:
            {
                string[] keys = ["", "cw_live_", "cw_live_" + new string('A', 43), "Bearer", new string('k', 4000), "cw_live_%C3%A9", "' OR 1=1 --"];
                return new FuzzCase("hostile keys", Encoding.UTF8.GetBytes("{}"), "application/json", keys[random.Next(keys.Length)], []);
            }
            case 7:
                return new FuzzCase("giant header", Encoding.UTF8.GetBytes("{}"), "application/json", null, [("X-Junk", new string('j', random.Next(20_000, 80_000)))], MayReset: true);
            case 8:
                return new FuzzCase("huge numbers", Encoding.UTF8.GetBytes($"{{\"text\":\"Hi.\",\"voice_id\":\"nobody\",\"seed\":{new string('9', random.Next(10, 5000))},\"sample_rate\":-{new string('9', 400)}}}"), "application/json", null, []);
            default:
            {
                var text = new string(Enumerable.Range(0, random.Next(1, 1500)).Select(_ => (char)random.Next(1, 0xD7FF)).ToArray());
                return new FuzzCase("random text", Encoding.UTF8.GetBytes($"{{\"text\":\"{Escape(text)}\",\"voice_id\":\"nobody\"}}"), "application/json", null, []);
            }
        }
    }

    private static string Escape(string text) => System.Text.Json.JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
