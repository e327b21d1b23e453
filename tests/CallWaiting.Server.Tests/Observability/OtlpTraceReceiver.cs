using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tests.Observability;

/// <summary>
/// A fake OpenTelemetry collector speaking OTLP/HTTP with protobuf: <c>POST /v1/traces</c> with
/// <c>application/x-protobuf</c> bodies, answered with an empty <c>ExportTraceServiceResponse</c>. It keeps every request
/// it gets (any path) and the spans decoded from them.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<byte[]> _bodies = [];
    private readonly List<OtlpSpan> _spans = [];
    private readonly List<string> _requests = [];

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    /// <summary>The collector's base address (the value for OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Every request received, as "METHOD path content-type".</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate) return [.. _requests];
        }
    }

    /// <summary>The raw bodies of the trace exports received.</summary>
    public IReadOnlyList<byte[]> Bodies
    {
        get
        {
            lock (_gate) return [.. _bodies];
        }
    }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans
    {
        get
        {
            lock (_gate) return [.. _spans];
        }
    }

    /// <summary>Starts a collector listening on <paramref name="url"/> (a free loopback port by default).</summary>
    public static async Task<OtlpTraceReceiver> StartAsync(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Address = new Uri(address);
        return receiver;
    }

    /// <summary>Waits until the spans received satisfy <paramref name="done"/>, then returns them; times out after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<OtlpSpan>> WaitForAsync(Func<IReadOnlyList<OtlpSpan>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Spans;
            if (done(spans)) return spans;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The collector has {spans.Count} spans: {string.Join(", ", spans.Select(s => s.Name))}");
            await Task.Delay(100);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var contentType = context.Request.ContentType ?? "";
        lock (_gate) _requests.Add($"{context.Request.Method} {context.Request.Path} {contentType}");
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != "/v1/traces")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (contentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var bytes = body.ToArray();
        var spans = OtlpTraceDecoder.Decode(bytes);
        lock (_gate)
        {
            _bodies.Add(bytes);
            _spans.AddRange(spans);
        }

        // An empty ExportTraceServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }
}
