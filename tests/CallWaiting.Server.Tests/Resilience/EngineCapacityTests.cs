using System.Net;
using System.Text;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Resilience;

/// <summary>
/// A single engine worker with one queue slot under a burst of long requests (refused fast with 503, the admitted ones
/// complete), and a client that hangs up mid-stream (the worker is freed at once, the server carries on).
/// </summary>
public sealed class EngineCapacityTests(SingleWorkerServerFixture fixture) : IClassFixture<SingleWorkerServerFixture>
{
    private const string BusyWorkers = "tts_engine_busy_workers";
    private const string QueueDepth = "tts_engine_queue_depth";
    private const int Pcm16Rate = 24000;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private HttpClient Client => fixture.Server.Client;

    [Fact]
    public async Task A_burst_beyond_the_worker_and_its_queue_gets_retryable_503s_and_every_admitted_request_gets_all_its_audio()
    {
        var key = await VerifiedKeyAsync();
        // Eight different texts of one length: identical ones would share one synthesis (the cache coalesces them).
        var bodies = Enumerable.Range(0, 8).Select(i => $$"""{"text":"{{LongText(12)}} Reference {{i}}.","voice_id":"emily-en-us","format":"pcm16"}""").ToArray();

        // Released together, so all eight reach the single worker and its single queue slot at about the same time.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = bodies.Select(async body =>
        {
            await start.Task;
            using var response = await TtsAsync(Client, key, body);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable);
                Assert.Equal("overloaded", (await ReadJsonAsync(response)).GetProperty("code").GetString());
                Assert.True(int.Parse(Header(response, "Retry-After")) > 0);
                return null;
            }

            return await response.Content.ReadAsByteArrayAsync();
        }).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(burst);

        var admitted = outcomes.OfType<byte[]>().ToList();
        Assert.NotEmpty(admitted);
        Assert.True(admitted.Count < outcomes.Length, "one worker and one queue slot cannot take eight long requests at once");

        // Afterwards the server serves normally; a request of the same length, alone, is the reference for "all its audio".
        await WaitUntilIdleAsync();
        using var alone = await TtsAsync(Client, key, bodies[0]);
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        var reference = await alone.Content.ReadAsByteArrayAsync();
        var stats = await ServerAudio.AnalyzeRawAsync(reference, "raw", Pcm16Rate);
        Assert.True(stats.Seconds > 20, $"the long text should make well over 20 s of speech, got {stats.Seconds:F1} s");
        Assert.True(stats.RmsAmplitude > 0.01, $"silent audio (RMS {stats.RmsAmplitude})");
        foreach (var audio in admitted)
        {
            Assert.InRange(audio.Length, reference.Length * 0.98, reference.Length * 1.02);
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_stream_frees_the_worker_at_once_and_is_charged_for_what_it_received()
    {
        var key = await VerifiedKeyAsync();
        // Left running, this synthesis would occupy the worker for well over ten seconds.
        var longText = LongText(90);
        var json = $$"""{"text":"{{longText}}","voice_id":"emily-en-us","format":"ulaw"}""";

        // No draining of unread content: disposing the response closes the connection, as a caller hanging up does.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Server.BaseAddress, Timeout = HangGuard };
        using var request = ServerProcess.Request(HttpMethod.Post, "v1/tts", key, Json(json));
        using var cts = new CancellationTokenSource(HangGuard);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        try
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[4096];
            var received = 0;
            while (received < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(received), cts.Token);
                Assert.True(read > 0, "the stream ended before its first 4 KiB");
                received += read;
            }

            await ResilienceWait.UntilAsync(() => MetricAsync(Client, BusyWorkers), busy => busy == 1, HangGuard, "the long synthesis to occupy the worker");
            await cts.CancelAsync();
        }
        finally
        {
            response.Dispose();
        }

        // Generous next to the milliseconds cancellation takes, short next to the synthesis it cut off.
        await ResilienceWait.UntilAsync(() => MetricAsync(Client, BusyWorkers), busy => busy == 0, TimeSpan.FromSeconds(5), "the worker to be released after the hang-up");

        const string text = "Still here after the caller hung up.";
        using (var next = await TtsAsync(Client, key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"pcm16"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            var stats = await ServerAudio.AnalyzeRawAsync(await next.Content.ReadAsByteArrayAsync(), "raw", Pcm16Rate);
            Assert.True(stats.Seconds > 1 && stats.RmsAmplitude > 0.01, $"implausible speech: {stats}");
        }

        // Audio had started, so the hung-up request is metered too (its characters, and only the seconds it was sent),
        // as the streaming contract says: usage follows what was actually produced.
        var usage = await ResilienceWait.UntilAsync(async () =>
        {
            using var response = await GetAsync(Client, "v1/usage?days=1", key);
            var rows = (await ReadJsonAsync(response)).EnumerateArray().ToList();
            return (Requests: rows.Sum(r => r.GetProperty("requests").GetInt64()), Characters: rows.Sum(r => r.GetProperty("characters").GetInt64()));
        }, u => u.Requests >= 2, HangGuard, "both requests to be metered");
        Assert.Equal((2L, (long)(text.Length + longText.Length)), usage);
    }

    // A fresh key, verified once so scrypt is behind us and requests go straight to the engines.
    private async Task<string> VerifiedKeyAsync()
    {
        var key = (await fixture.Store.CreateKeyAsync()).Key;
        using var verify = await GetAsync(Client, "v1/auth/verify", key);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        return key;
    }

    private async Task WaitUntilIdleAsync()
    {
        await ResilienceWait.UntilAsync(() => MetricAsync(Client, BusyWorkers), busy => busy == 0, HangGuard, "no busy worker");
        await ResilienceWait.UntilAsync(() => MetricAsync(Client, QueueDepth), depth => depth == 0, HangGuard, "an empty engine queue");
    }

    private static string LongText(int sentences)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= sentences; i++)
            text.Append("This is sentence number ").Append(i).Append(" of a long request that keeps the single engine worker busy for a while. ");
        return text.ToString().TrimEnd();
    }
}
