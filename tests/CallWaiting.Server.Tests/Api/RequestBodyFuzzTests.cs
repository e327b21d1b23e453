using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>
/// Seeded random mutations of valid bodies, sent to every route that takes a body (JSON, forms, multipart) and as
/// WebSocket text messages: never a 5xx, never a hang, never an internal-error close, and the server stays healthy.
/// The routes come from the server's own OpenAPI document, so a new body route without seeds here fails the first test.
/// </summary>
public sealed class RequestBodyFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Seed = 20_26;
    private const int CasesPerRoute = 400;
    private const int WebSocketSessions = 150;

    private const string TtsBody = """{"text":"Hi.","voice_id":"emily-en-us","format":"ulaw","speed":1.0,"seed":null,"sample_rate":8000,"stream":false,"ssml":false}""";

    private const string AdminKeyBody =
        """{"name":"fuzz","scopes":["tts:write"],"rate_limit_per_min":5,"rate_limit_per_day":50,"allowed_origins":["https://a.example"],"expires_at":"2099-01-01T00:00:00Z"}""";

    private static readonly (string Name, string Value)[] TwilioFields =
        [("voice", "emily-en-us"), ("text", "Hi."), ("CallSid", "CA0123456789abcdef0123456789abcdef"), ("From", "%2B15551230000"), ("CallStatus", "ringing")];

    /// <summary>Every route that takes a body, with the mutations of its valid body.</summary>
    private static readonly SortedDictionary<string, Func<Random, MutatedBody>> Routes = new(StringComparer.Ordinal)
    {
        ["/v1/tts"] = r => BodyMutations.Json(r, TtsBody),
        ["/v1/tts/with-timestamps"] = r => BodyMutations.Json(r, TtsBody),
        ["/v1/tts/stream-with-timestamps"] = r => BodyMutations.Json(r, TtsBody),
        ["/v1/cache/prewarm"] = r => BodyMutations.Json(r, $$"""{"prompts":[{{TtsBody}},{"text":"Hello.","voice_id":"james-en-us"}]}"""),
        ["/v1/audio/speech"] = r => BodyMutations.Json(r, """{"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"pcm","speed":1.0,"stream_format":"audio","instructions":"calm"}"""),
        ["/v1/auth/ws-token"] = r => BodyMutations.Json(r, "{}"),
        ["/v1/twilio/voice"] = r => BodyMutations.Form(r, TwilioFields),
        ["/web/session"] = r => BodyMutations.Json(r, """{"key":"cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"""),
        ["/v1/admin/tenants"] = r => BodyMutations.Json(r, """{"name":"Fuzz <b>Co</b>","slug":"fuzz-co","plan":"pro"}"""),
        ["/v1/admin/tenants/{id}"] = r => BodyMutations.Json(r, """{"name":"Renamed","plan":"free","status":"active"}"""),
        ["/v1/admin/keys"] = r => BodyMutations.Json(r, AdminKeyBody),
        ["/v1/admin/keys/{id}"] = r => BodyMutations.Json(r, AdminKeyBody),
        ["/v1/admin/keys/{id}/{action}"] = r => BodyMutations.Json(r, "{}"),
    };

    // Routes whose body is the credential: their 401 (a wrong key in the body) is the endpoint's own answer.
    private static readonly HashSet<string> BodyCredentialRoutes = ["/web/session"];

    private static readonly string[] WebSocketMessages =
    [
        """{"text":"Hi.","flush":true}""", """{"text":"Hello there. "}""", """{"flush":true}""", """{"event":"clear"}""", """{"event":"mark"}""",
    ];

    private static readonly string[] HostileKeys = ["", "cw_live_", "cw_live_" + new string('A', 43), "Bearer", new string('k', 4000), "cw_live_%C3%A9", "' OR 1=1 --"];

    [Fact]
    public async Task Every_route_that_takes_a_body_has_fuzz_seeds()
    {
        using var document = JsonDocument.Parse(await fixture.Server.Client.GetStringAsync("openapi/v1.json"));
        var withBody = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(path => path.Value.EnumerateObject().Any(op => op.Name is "post" or "put" or "patch" or "delete" || op.Value.TryGetProperty("requestBody", out _)))
            .Select(path => path.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(withBody, Routes.Keys.ToList());
    }

    [Fact]
    public async Task Mutated_bodies_to_every_route_never_get_a_5xx_or_hang()
    {
        // An admin key, so the admin routes parse their bodies rather than stop at the scope check.
        var key = (await fixture.Store.CreateKeyAsync(scopes: "admin", perMinute: 1_000_000, perDay: 100_000_000)).Key;
        var cases = Routes.SelectMany((route, r) =>
        {
            var random = new Random(Seed + r);
            return Enumerable.Range(0, CasesPerRoute).Select(_ => Case(random, route.Key, route.Value(random), key));
        }).ToList();

        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<(string Route, int Status), int>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, c.Route.TrimStart('/')) { Content = new ByteArrayContent(c.Body.Bytes) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.Body.ContentType);
            request.Headers.TryAddWithoutValidation("x-api-key", c.Key);
            foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
            try
            {
                using var response = await client.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                statuses.AddOrUpdate((c.Route, (int)response.StatusCode), 1, (_, n) => n + 1);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{(int)response.StatusCode} from {c.Route} for {c.Body.Name} ({c.Body.ContentType}): {Encoding.UTF8.GetString(body)} <- {Show(c.Body.Bytes)}");
            }
            catch (TaskCanceledException)
            {
                failures.Add($"hang on {c.Route} for {c.Body.Name}: {Show(c.Body.Bytes)}");
            }
            catch (HttpRequestException) when (c.MayReset)
            {
                // Kestrel may close the connection on a protocol-level refusal (431 for giant headers).
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.DoesNotContain(statuses.Keys, s => s.Status == (int)HttpStatusCode.TooManyRequests);
        foreach (var route in Routes.Keys)
        {
            // Most cases must reach the endpoint: otherwise the fuzz only tested authentication.
            var reached = statuses.Where(s => s.Key.Route == route && (s.Key.Status != 401 || BodyCredentialRoutes.Contains(route))).Sum(s => s.Value);
            Assert.True(reached > CasesPerRoute * 8 / 10, $"{route}: only {reached} of {CasesPerRoute} cases got past authentication");
        }

        Assert.True(statuses.Keys.Any(s => s.Route == "/v1/twilio/voice" && s.Status == 200), "no mutated Twilio form was still valid");
        Assert.DoesNotContain("Unhandled error", fixture.Server.Output, StringComparison.Ordinal);
        using var health = await fixture.Server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Mutated_websocket_messages_never_end_in_an_internal_error_or_hang()
    {
        var key = (await fixture.Store.CreateKeyAsync(perMinute: 1_000_000, perDay: 100_000_000)).Key;
        var uri = new Uri($"ws://{fixture.Server.BaseAddress.Authority}/v1/tts/ws");
        var random = new Random(Seed);
        var sessions = Enumerable.Range(0, WebSocketSessions).Select(_ => Session(random)).ToList();
        var failures = new ConcurrentBag<string>();
        var closes = new ConcurrentDictionary<WebSocketCloseStatus, int>();
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (messages, _) =>
        {
            await using var client = await RealtimeTestClient.ConnectAsync(uri, key);
            foreach (var message in messages)
            {
                try
                {
                    await client.Socket.SendAsync(message.Bytes, WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception e) when (ClosedByServer(e))
                {
                    break; // the server has closed already
                }
            }

            try
            {
                await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (Exception e) when (ClosedByServer(e))
            {
                // Closed by the server first.
            }

            var described = string.Join(" | ", messages.Select(m => $"{m.Name}: {Show(m.Bytes)}"));
            try
            {
                var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(30));
                closes.AddOrUpdate(close.CloseStatus ?? WebSocketCloseStatus.Empty, 1, (_, n) => n + 1);
                if (close.CloseStatus is WebSocketCloseStatus.InternalServerError)
                    failures.Add($"close {(int)close.CloseStatus} '{close.CloseReason}' after {described}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                // Invalid UTF-8 in a text frame is refused by the WebSocket itself (1007), which drops the connection at
                // once: the reset may overtake its close frame. Anything else must end with a close frame.
                if (messages.All(m => Utf8.IsValid(m.Bytes))) failures.Add($"no close frame ({e.Message}) after {described}");
                else closes.AddOrUpdate(WebSocketCloseStatus.InvalidPayloadData, 1, (_, n) => n + 1);
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await MetricAsync(fixture.Server.Client, "tts_ws_sessions_open") > 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200);
        Assert.Equal(0, await MetricAsync(fixture.Server.Client, "tts_ws_sessions_open"));
        Assert.True(closes.GetValueOrDefault(WebSocketCloseStatus.PolicyViolation) > 0, "no mutated message was refused: " + string.Join(", ", closes));
        Assert.True(closes.GetValueOrDefault(WebSocketCloseStatus.NormalClosure) > 0, "no session survived its messages: " + string.Join(", ", closes));
        using var health = await fixture.Server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private sealed record FuzzCase(string Route, MutatedBody Body, string Key, (string, string)[] Headers, bool MayReset = false);

    private static FuzzCase Case(Random random, string route, MutatedBody body, string key) => random.Next(50) switch
    {
        0 or 1 => new FuzzCase(route, body, HostileKeys[random.Next(HostileKeys.Length)], []),
        2 => new FuzzCase(route, body, key, [("X-Junk", new string('j', random.Next(20_000, 80_000)))], MayReset: true),
        _ => new FuzzCase(route, body, key, []),
    };

    // A session: a config (mutated two times in three), then up to three messages, most of them mutated.
    private static List<MutatedBody> Session(Random random)
    {
        const string config = """{"voice_id":"james-en-us","format":"pcm16","sample_rate":16000,"speed":1.0,"mode":"default"}""";
        var messages = new List<MutatedBody>
        {
            random.Next(3) == 0 ? new MutatedBody("config", Encoding.UTF8.GetBytes(config), "") : BodyMutations.Json(random, config),
        };
        for (var n = random.Next(0, 4); n > 0; n--)
        {
            var seed = WebSocketMessages[random.Next(WebSocketMessages.Length)];
            messages.Add(random.Next(4) == 0 ? new MutatedBody("message", Encoding.UTF8.GetBytes(seed), "") : BodyMutations.Json(random, seed));
        }

        return messages;
    }

    private static string Show(byte[] bytes) => Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)]);

    /// <summary>
    /// What a client's send or close meets when the server has already closed or dropped the connection (a refused frame,
    /// such as invalid UTF-8, drops it at once): the socket's own errors, or a reset, which .NET reports as a cancellation
    /// wrapping the IOException even without a token. Whether the session then ended properly is judged by its close.
    /// </summary>
    private static bool ClosedByServer(Exception e) =>
        e is WebSocketException or InvalidOperationException or ObjectDisposedException or IOException
        || e is OperationCanceledException { InnerException: IOException };
}
