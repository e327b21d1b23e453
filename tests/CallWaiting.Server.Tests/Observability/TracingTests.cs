using System.Net;
using System.Text;
using System.Text.Json;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CallWaiting.Server.Tests.Observability;

/// <summary>
/// OpenTelemetry traces from a real server process to a fake OTLP/HTTP collector: one trace per request, auth, cache
/// and synthesis spans under ASP.NET Core's server span, with the attributes that say what happened and never the text
/// or the key; and no export at all unless an endpoint is configured.
/// </summary>
public sealed class TracingTests
{
    private const string Text = "Tracing a request, span by span.";
    private static readonly string[] Auth = ["auth", "auth.address_limits", "auth.verify_key", "auth.key_limits"];
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tts_request_is_one_trace_with_auth_cache_synthesis_and_encode_spans_under_the_server_span()
    {
        await using var collector = await OtlpTraceReceiver.StartAsync();
        var data = Directory.CreateTempSubdirectory("cw-otel-").FullName;
        var env = new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DATA_DIR"] = data,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "callwaiting-trace-test",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        await using var server = await ServerProcess.StartAsync(env);
        var tenant = await DefaultTenantAsync(data);

        var (missId, mp3) = await SpeakAsync(server);
        var (hitId, _) = await SpeakAsync(server);
        Assert.True((await ServerAudio.AnalyzeAsync(mp3, "mp3")).Seconds > 1, "the traced answer is real speech");

        var spans = await collector.WaitForAsync(s => Trace(s, missId).Any(x => x.Name == "tts.encode") && Trace(s, hitId).Count > 0, ExportWait);

        var miss = Trace(spans, missId);
        Assert.Equal(Names(["POST /v1/tts", .. Auth, "cache.lookup", "tts.encode", "tts.synthesize"]), Names(miss.Select(s => s.Name)));
        Assert.Single(miss.Select(s => s.TraceId).Distinct());
        var root = Single(miss, "POST /v1/tts");
        Assert.Equal(OtlpSpan.ServerKind, root.Kind);
        Assert.Equal("Microsoft.AspNetCore", root.Scope);
        Assert.Equal("callwaiting-trace-test", root.Resource["service.name"]);
        Assert.Equal(missId, root.Text(ServerActivities.RequestId));
        Assert.Equal(tenant, root.Text(ServerActivities.TenantId));

        var auth = Single(miss, "auth");
        Assert.All(new[] { auth, Single(miss, "cache.lookup"), Single(miss, "tts.synthesize") }, s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.All(Auth.Skip(1), name => Assert.Equal(auth.SpanId, Single(miss, name).ParentSpanId));
        Assert.Equal(Single(miss, "tts.synthesize").SpanId, Single(miss, "tts.encode").ParentSpanId);
        Assert.Equal(tenant, auth.Text(ServerActivities.TenantId));
        Assert.Equal(missId, auth.Text(ServerActivities.RequestId));
        Assert.Equal("scrypt", Single(miss, "auth.verify_key").Text(ServerActivities.Verification));

        var lookup = Single(miss, "cache.lookup");
        Assert.Equal("miss", lookup.Text(ServerActivities.CacheOutcome));
        Assert.Equal(tenant, lookup.Text(ServerActivities.TenantId));
        var synthesis = Single(miss, "tts.synthesize");
        Assert.Equal("flite", synthesis.Text("callwaiting.engine"));
        Assert.Equal("emily-en-us", synthesis.Text("callwaiting.voice"));
        Assert.Equal(Text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), synthesis.Text("callwaiting.characters"));
        var encode = Single(miss, "tts.encode");
        Assert.Equal("mp3", encode.Text("callwaiting.format"));
        Assert.Equal(mp3.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), encode.Text("callwaiting.bytes"));

        var hit = Trace(spans, hitId);
        Assert.Equal(Names(["POST /v1/tts", .. Auth, "cache.lookup"]), Names(hit.Select(s => s.Name)));
        Assert.Equal("hit", Single(hit, "cache.lookup").Text(ServerActivities.CacheOutcome));
        Assert.Equal("memory", Single(hit, "cache.lookup").Text(ServerActivities.CacheTier));
        Assert.Equal("memory", Single(hit, "auth.verify_key").Text(ServerActivities.Verification));

        // Neither the text nor the key is anywhere in what was exported, attributes or otherwise.
        foreach (var body in collector.Bodies)
        {
            var raw = Encoding.UTF8.GetString(body);
            Assert.DoesNotContain("span by span", raw, StringComparison.Ordinal);
            Assert.DoesNotContain(server.BootstrapKey, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(server.BootstrapKey[..20], raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported_even_to_the_default_one()
    {
        // Where an exporter added regardless would send: OTLP/HTTP's default endpoint.
        await using var collector = await OtlpTraceReceiver.StartAsync("http://localhost:4318");
        var env = new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = null,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "callwaiting-untraced",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        await using (var server = await ServerProcess.StartAsync(env))
        {
            var (_, mp3) = await SpeakAsync(server);
            Assert.NotEmpty(mp3);
            await Task.Delay(1000);
            Assert.Equal(0, await server.StopAsync()); // a tracer would flush what it holds at shutdown
        }

        Assert.Empty(collector.Requests);
    }

    [Fact]
    public void Tracing_is_registered_only_when_an_otlp_endpoint_is_configured()
    {
        Assert.Null(Provider(new() { ["OTEL_SERVICE_NAME"] = "x", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" }).GetService<TracerProvider>());
        Assert.Null(Provider(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318", ["OTEL_SDK_DISABLED"] = "true" }).GetService<TracerProvider>());
        Assert.NotNull(Provider(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces" }).GetService<TracerProvider>());
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddCallWaitingTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    /// <summary>Every span of the trace whose server span carries request id <paramref name="requestId"/>.</summary>
    private static List<OtlpSpan> Trace(IReadOnlyList<OtlpSpan> spans, string requestId)
    {
        var root = spans.FirstOrDefault(s => s.Kind == OtlpSpan.ServerKind && s.Text(ServerActivities.RequestId) == requestId);
        return root is null ? [] : spans.Where(s => s.TraceId == root.TraceId).ToList();
    }

    private static List<string> Names(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToList();

    private static OtlpSpan Single(List<OtlpSpan> spans, string name) => Assert.Single(spans, s => s.Name == name);

    private static async Task<(string RequestId, byte[] Audio)> SpeakAsync(ServerProcess server)
    {
        var id = "trace-" + Guid.NewGuid().ToString("N");
        using var request = ServerProcess.Request(HttpMethod.Post, "/v1/tts", server.BootstrapKey,
            new StringContent($$"""{"text":"{{Text}}","voice_id":"emily-en-us","format":"mp3"}""", Encoding.UTF8, "application/json"));
        request.Headers.Add("X-Request-ID", id);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (id, await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string> DefaultTenantAsync(string data)
    {
        var env = new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = data };
        var listed = await ServerCli.RunAsync(env, "tenants", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.StandardError);
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)
            .Single(t => t.GetProperty("slug").GetString() == "default").GetProperty("id").GetString()!;
    }
}
