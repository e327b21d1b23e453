using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CallWaiting.Server.Tests.Api;

/// <summary>/ready means warm: the first synthesis after it starts about as fast as later ones.</summary>
public sealed class WarmStartTests(ITestOutputHelper output)
{
    private const int LaterRequests = 8;

    // Noise of one request on a shared, loaded 2-core machine; far below what a cold start cost (0.4-0.5 s).
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task The_first_request_after_ready_has_a_time_to_first_byte_within_twice_the_steady_state()
    {
        // A first request is a single sample, so a loaded machine gets up to three fresh servers. A cold server misses by a
        // wide margin every time (before the warm-up: 0.3-0.9 s against medians of 0.05-0.17 s), so retries do not hide it.
        var misses = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (first, later) = await MeasureFreshServerAsync();
            var median = later.Order().ElementAt(later.Count / 2);
            var summary = $"first {first.TotalMilliseconds:0} ms, later median {median.TotalMilliseconds:0} ms ({string.Join(", ", later.Select(t => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)))})";
            output.WriteLine(summary);
            if (first <= 2 * median + Allowance) return;
            misses.Add(summary);
        }

        Assert.Fail("The first request after /ready was slow on three fresh servers:\n" + string.Join('\n', misses));
    }

    // Every timed request uses a key never used before, so each pays the one scrypt check that a key's first use costs
    // (no warm-up can pay it for a key it does not know), and a text of its own, so none is a cache hit.
    private static async Task<(TimeSpan First, List<TimeSpan> Later)> MeasureFreshServerAsync()
    {
        var environment = new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-warm-").FullName };
        var created = await ServerCli.RunAsync(environment, "keys", "create", "--name", "warm-start", "--scopes", "tts:write", "-n", (LaterRequests + 1).ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var keys = created.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("key").GetString()!).ToList();

        await using var server = await ServerProcess.StartAsync(environment);
        var (first, audio) = await TimeToFirstByteAsync(server, keys[0], 0);
        var stats = await ServerAudio.AnalyzeAsync(audio, "mp3");
        Assert.InRange(stats.Seconds, 1, 8);
        Assert.True(stats.RmsAmplitude > 0.01);

        var later = new List<TimeSpan>();
        for (var i = 1; i <= LaterRequests; i++) later.Add((await TimeToFirstByteAsync(server, keys[i], i)).Elapsed);
        return (first, later);
    }

    private static async Task<(TimeSpan Elapsed, byte[] Audio)> TimeToFirstByteAsync(ServerProcess server, string key, int index)
    {
        var body = $$"""{"text":"This is request number {{index}} of the warm start check.","voice_id":"emily-en-us","format":"mp3"}""";
        using var request = ServerProcess.Request(HttpMethod.Post, "v1/tts", key, ApiTestHttp.Json(body));
        var clock = Stopwatch.StartNew();
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var elapsed = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (elapsed, await response.Content.ReadAsByteArrayAsync());
    }
}
