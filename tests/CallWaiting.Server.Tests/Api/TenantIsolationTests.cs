using System.Net;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Two tenants on one server: a tenant's private voice and usage are invisible to the other on every endpoint.</summary>
public sealed class TenantIsolationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Private_voices_and_usage_never_cross_tenants()
    {
        var client = fixture.Server.Client;
        var acme = await fixture.Store.Tenants.CreateAsync("Acme", "acme");
        await fixture.Store.Tenants.CreateAsync("Globex", "globex");
        var a = await fixture.Store.CreateKeyAsync("acme");
        var b = await fixture.Store.CreateKeyAsync("globex");
        var privateVoice = new StoredVoice(Guid.NewGuid(), "acme-concierge", acme.Id, "Acme Concierge", "Acme's own voice.", "en-US", "female",
            "flite", "slt", null, "{}", StorageTime.Truncate(DateTimeOffset.UtcNow));
        Assert.True(await fixture.Store.Voices.TryCreateAsync(privateVoice));

        using (var listA = await GetAsync(client, "v1/voices", a.Key))
        {
            var mine = (await ReadJsonAsync(listA)).EnumerateArray().Single(v => v.GetProperty("slug").GetString() == "acme-concierge");
            Assert.False(mine.GetProperty("is_public").GetBoolean());
            Assert.Equal(privateVoice.Id, mine.GetProperty("id").GetGuid());
        }

        using (var listB = await GetAsync(client, "v1/voices", b.Key))
            Assert.DoesNotContain((await ReadJsonAsync(listB)).EnumerateArray(), v => v.GetProperty("slug").GetString() == "acme-concierge");

        foreach (var id in new[] { "acme-concierge", privateVoice.Id.ToString() })
        {
            using (var getA = await GetAsync(client, $"v1/voices/{id}", a.Key)) Assert.Equal(HttpStatusCode.OK, getA.StatusCode);
            using (var getB = await GetAsync(client, $"v1/voices/{id}", b.Key)) await AssertErrorAsync(getB, HttpStatusCode.NotFound);
            using (var ttsB = await TtsAsync(client, b.Key, $$"""{"text":"Not yours.","voice_id":"{{id}}"}""")) await AssertErrorAsync(ttsB, HttpStatusCode.NotFound);
        }

        using (var ttsA = await TtsAsync(client, a.Key, """{"text":"Welcome to Acme.","voice_id":"acme-concierge","format":"pcm16"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, ttsA.StatusCode);
            Assert.Equal(privateVoice.Id.ToString(), Header(ttsA, "X-Voice-ID"));
            var audio = await ServerAudio.AnalyzeRawAsync(await ttsA.Content.ReadAsByteArrayAsync(), "raw", 24000);
            Assert.True(audio.RmsAmplitude > 0.01);
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        long requestsA;
        do
        {
            using var usageA = await GetAsync(client, "v1/usage", a.Key);
            requestsA = (await ReadJsonAsync(usageA)).EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64());
        }
        while (requestsA < 1 && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(1, requestsA);
        using var usageB = await GetAsync(client, "v1/usage", b.Key);
        Assert.Empty((await ReadJsonAsync(usageB)).EnumerateArray());
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
