using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The disk tier on a single SQLite server without Redis: renderings survive a restart and come back byte for byte.</summary>
public sealed class DiskCacheServerTests
{
    [Fact]
    public async Task A_rendering_cached_on_disk_is_a_hit_after_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("cw-disk-cache-").FullName;
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["CALLWAITING_DATA_DIR"] = data,
                ["CALLWAITING_Cache__DiskMaxBytes"] = (8 * 1024 * 1024).ToString(),
                // The same admin key on both starts: the second finds a non-empty database and bootstraps nothing.
                ["CALLWAITING_BOOTSTRAP_KEY"] = CallWaiting.Server.ApiKeys.ApiKeyFormat.Generate(),
            };
            const string json = """{"text":"Our offices are closed for the holiday.","voice_id":"emily-en-us","format":"flac"}""";
            byte[] first;
            await using (var server = await ServerProcess.StartAsync(environment))
            {
                var (status, cache, body, _) = await SynthesizeAsync(server.Client, server.BootstrapKey, json);
                Assert.Equal((HttpStatusCode.OK, "MISS"), (status, cache));
                first = body;
                Assert.Equal(0, await server.StopAsync());
            }

            var files = Directory.GetFiles(Path.Combine(data, "cache"), "*.cwa", SearchOption.AllDirectories);
            Assert.Single(files);
            Assert.True(new FileInfo(files[0]).Length > first.Length, "the file holds the audio and its header");

            await using var restarted = await ServerProcess.StartAsync(environment);
            var (againStatus, againCache, again, _) = await SynthesizeAsync(restarted.Client, restarted.BootstrapKey, json);
            Assert.Equal((HttpStatusCode.OK, "HIT"), (againStatus, againCache));
            Assert.Equal(first, again);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
