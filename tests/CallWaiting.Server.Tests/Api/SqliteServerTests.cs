using System.Net;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>The embedded default: SQLite under CALLWAITING_DATA_DIR, no Redis, a key printed once on first start (per-IP limits: <see cref="FakeClockApiTests"/>).</summary>
public sealed class SqliteServerTests
{
    [Fact]
    public async Task First_start_prints_one_key_and_serves_the_contract_without_postgres_or_redis()
    {
        var data = Directory.CreateTempSubdirectory("cw-api-sqlite-").FullName;
        string printedKey;
        await using (var server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = data, ["CALLWAITING_BOOTSTRAP_KEY"] = null }))
        {
            printedKey = server.BootstrapKey;
            Assert.True(ApiKeyFormat.IsWellFormed(printedKey), server.Output);
            Assert.Single(server.Output.Split('\n'), l => l.StartsWith("API key: ", StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(data, "callwaiting.db")));

            using var health = await server.Client.GetAsync("health");
            var components = (await ReadJsonAsync(health)).GetProperty("components");
            Assert.True(components.GetProperty("database").GetBoolean());
            Assert.True(components.GetProperty("redis").GetBoolean(), "redis is not needed without CALLWAITING_REDIS");

            using var tts = await TtsAsync(server.Client, printedKey, """{"text":"Embedded storage works.","voice_id":"james-en-us","format":"wav"}""");
            Assert.Equal(HttpStatusCode.OK, tts.StatusCode);
            var audio = await ServerAudio.AnalyzeAsync(await tts.Content.ReadAsByteArrayAsync(), "wav");
            Assert.InRange(audio.Seconds, 0.8, 8);
            Assert.True(audio.RmsAmplitude > 0.01);
            Assert.Equal(0, await server.StopAsync());
        }

        // A restart on the same data folder keeps the key and prints nothing new.
        await using var again = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = data, ["CALLWAITING_BOOTSTRAP_KEY"] = null });
        Assert.DoesNotContain("API key: ", again.Output);
        using var usage = await GetAsync(again.Client, "v1/usage", printedKey);
        var day = (await ReadJsonAsync(usage)).EnumerateArray().Single();
        Assert.Equal(1, day.GetProperty("requests").GetInt64());
        Assert.Equal(23, day.GetProperty("characters").GetInt64());
    }

    [Fact]
    public async Task Invalid_configuration_stops_start_up_with_a_clear_message()
    {
        var result = await ServerCli.RunAsync(new Dictionary<string, string?>
        {
            ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-api-bad-").FullName,
            ["CALLWAITING_Api__MaxTextLength"] = "0",
        }, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Api:MaxTextLength", result.StandardError);
    }
}
