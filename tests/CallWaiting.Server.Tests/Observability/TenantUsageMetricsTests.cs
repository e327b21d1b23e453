using System.Globalization;
using System.Net;
using System.Text.Json;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Tests.Api;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Observability;

/// <summary>
/// The per-tenant usage counters on a real server's /metrics: each tenant's characters exactly as metered (cache hits
/// included) and its seconds as the decoded audio lasts, under its own tenant id, and tenants past the cap under "other".
/// </summary>
public sealed class TenantUsageMetricsTests
{
    [Fact]
    public async Task Each_tenant_is_counted_under_its_own_label_and_tenants_past_the_cap_under_other()
    {
        var data = Directory.CreateTempSubdirectory("cw-tenant-metrics-").FullName;
        var cli = new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = data };
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DATA_DIR"] = data,
            ["CALLWAITING_Telemetry__MaxTenantLabels"] = "2",
        });
        var (acme, acmeKey) = await TenantWithKeyAsync(cli, "acme-metrics");
        var (globex, globexKey) = await TenantWithKeyAsync(cli, "globex-metrics");
        var (initech, initechKey) = await TenantWithKeyAsync(cli, "initech-metrics");

        // Acme twice (the second a cache hit, still metered), then Globex, then Initech, the third tenant past a cap of two.
        var acmeSeconds = await SpeakAsync(server, acmeKey, "Hello from Acme.") + await SpeakAsync(server, acmeKey, "Hello from Acme.");
        var globexSeconds = await SpeakAsync(server, globexKey, "Good morning from Globex, everyone.");
        var initechSeconds = await SpeakAsync(server, initechKey, "Initech here.");

        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(2 * "Hello from Acme.".Length, Sample(metrics, "tts_tenant_characters_total", acme));
        Assert.Equal("Good morning from Globex, everyone.".Length, Sample(metrics, "tts_tenant_characters_total", globex));
        Assert.Equal("Initech here.".Length, Sample(metrics, "tts_tenant_characters_total", TenantUsageMetrics.OtherTenants));
        Assert.DoesNotContain(initech, metrics, StringComparison.Ordinal);

        Assert.Equal(acmeSeconds, Sample(metrics, "tts_tenant_audio_seconds_total", acme), 0.002);
        Assert.Equal(globexSeconds, Sample(metrics, "tts_tenant_audio_seconds_total", globex), 0.002);
        Assert.Equal(initechSeconds, Sample(metrics, "tts_tenant_audio_seconds_total", TenantUsageMetrics.OtherTenants), 0.002);
    }

    private static async Task<(string TenantId, string Key)> TenantWithKeyAsync(Dictionary<string, string?> cli, string slug)
    {
        var tenant = await ServerCli.RunAsync(cli, "tenants", "create", "--name", slug, "--slug", slug);
        Assert.True(tenant.ExitCode == 0, tenant.StandardError);
        var key = await ServerCli.RunAsync(cli, "keys", "create", "--name", slug, "--tenant", slug, "--json");
        Assert.True(key.ExitCode == 0, key.StandardError);
        var row = JsonDocument.Parse(key.StandardOutput).RootElement;
        return (row.GetProperty("tenant_id").GetString()!, row.GetProperty("key").GetString()!);
    }

    /// <summary>Speaks <paramref name="text"/> as a WAV and returns how long sox finds it.</summary>
    private static async Task<double> SpeakAsync(ServerProcess server, string key, string text)
    {
        using var response = await ApiTestHttp.TtsAsync(server.Client, key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"wav"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ServerAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), "wav")).Seconds;
    }

    private static double Sample(string metrics, string name, string tenant)
    {
        var prefix = $"{name}{{tenant=\"{tenant}\"}} ";
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no {prefix.Trim()} in /metrics");
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
