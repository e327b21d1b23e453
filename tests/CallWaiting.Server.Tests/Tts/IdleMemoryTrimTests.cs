using System.Net;
using System.Text.RegularExpressions;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>A server that falls quiet after long answers gives the memory they took back, instead of keeping it while idle.</summary>
public sealed partial class IdleMemoryTrimTests
{
    [Fact]
    public async Task After_long_answers_an_idle_server_trims_its_memory_once()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["CALLWAITING_RateLimits__PerIpPerMinute"] = "1000000" });
        for (var i = 0; i < 3; i++)
        {
            var json = $$"""{"text":"{{LongText(1100)}}","voice_id":"emily-en-us","format":"wav","sample_rate":48000}""";
            using var response = await PostAsync(server.Client, "v1/tts/with-timestamps", server.BootstrapKey, json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 4_000_000);
        }

        // Two quiet sampling intervals at most, then the one collection.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Match trimmed;
        while (!(trimmed = Trimmed().Match(server.Output)).Success && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.True(trimmed.Success, "no trim logged");
        var (before, after) = (int.Parse(trimmed.Groups[1].Value), int.Parse(trimmed.Groups[2].Value));
        Assert.True(after < before, $"{before} MB → {after} MB");

        await Task.Delay(Hosting.IdleMemoryTrimmer.Interval * 3);
        Assert.Single(Trimmed().Matches(server.Output)); // still quiet: nothing more to give back, no more collections
    }

    [GeneratedRegex(@"memory trimmed from (\d+) MB to (\d+) MB")]
    private static partial Regex Trimmed();
}
