using System.Security.Cryptography.X509Certificates;
using CallWaiting.Server.Admin;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Configuration;
using CallWaiting.Server.Health;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Observability;
using CallWaiting.Server.OpenAi;
using CallWaiting.Server.RateLimiting;
using CallWaiting.Server.Realtime;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Twilio;
using CallWaiting.Server.Usage;
using CallWaiting.Server.Voices;
using CallWaiting.Server.Web;
using CallWaiting.Speech.Engines.Onnx;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace CallWaiting.Server.Hosting;

/// <summary>Composes the CallWaiting API: configuration, services, middleware order and endpoints.</summary>
public static class CallWaitingServer
{
    /// <summary>Where the server listens unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8004";

    /// <summary>Prefix of environment variables that mirror configuration keys, e.g. CALLWAITING_Api__MaxTextLength.</summary>
    public const string EnvironmentPrefix = "CALLWAITING_";

    private const long BodyDrainAllowance = 1024 * 1024;

    /// <summary>
    /// Builds the server listening on <paramref name="urls"/> (else the urls setting, else <see cref="DefaultUrls"/>).
    /// Every setting is an options section bound from configuration (appsettings.json, <paramref name="args"/>,
    /// CALLWAITING_* variables) and validated when the server starts; nothing connects before then.
    /// </summary>
    public static WebApplication Build(string[] args, string? urls = null, TextWriter? console = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        var configuration = builder.Configuration;
        configuration.AddCallWaitingEnvironment();
        builder.WebHost.UseUrls(urls ?? configuration["urls"] ?? DefaultUrls);

        ConfigureLogging(builder.Logging);
        var services = builder.Services;
        AddOptions(services);
        services.AddSingleton(new ServerConsole(console ?? Console.Out));
        services.AddCallWaitingStorage();
        // Redis connects as the first hosted service, before anything that uses it starts.
        services.AddRedis();
        services.AddRateLimiting();
        services.AddSingleton(new ServerMetrics());
        services.AddCallWaitingTelemetry(configuration);
        services.AddSingleton<SystemUsage>();
        services.AddSingleton<SpeechHost>();
        services.AddSingleton<VoiceResolver>();
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<ApiKeyAdmission>();
        services.AddSingleton<LastUsedTracker>();
        services.AddSingleton<IApiMeter, MeteringApiMeter>();

        services.AddAudioCache();
        services.AddTts();
        services.AddOpenAiCompatibility();

        // Start order: engines and schema first; stop order is the reverse, so metering and last-use flush after the server drained.
        services.AddHostedService<ServerInitializer>();
        services.AddHostedService<RequestPathWarmup>();
        services.AddMetering();
        services.AddHostedService(sp => sp.GetRequiredService<LastUsedTracker>());
        services.AddSingleton<ApiKeyWatch>();
        services.AddHostedService<RevocationListener>();
        services.AddHostedService<KeyChangePoller>();
        services.AddHostedService<IdleMemoryTrimmer>();

        // Realtime and telephony (issue 4): the /v1/tts/ws WebSocket, its tokens, Twilio TwiML and signed audio URLs.
        services.AddRealtime();
        services.AddTwilio();

        // Web pages (issue 13): sessions for the admin dashboard and the playground, and the admin API behind them.
        services.AddWeb();
        services.AddAdmin();

        // Errors are ProblemDetails written as application/json by the API's own writer, registered ahead of the framework's.
        services.AddSingleton<IProblemDetailsWriter, ApiProblemDetailsWriter>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ApiResults.Complete);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default);
        });
        services.AddOpenApi(OpenApiSetup.DocumentName, OpenApiSetup.Configure);

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // Always in place; it believes nobody until Api:TrustedProxies names someone.
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseMiddleware<CorsMiddleware>();
        app.UseStatusCodePages(JsonStatusCodePages.WriteAsync);
        app.UseMiddleware<FrameSizeGuardMiddleware>();
        app.UseWebSockets();
        app.UseWebAssets();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/metrics"), metrics => metrics.UseMiddleware<MetricsAccessMiddleware>());

        app.MapHealth();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("CallWaiting TTS API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .AddPreferredSecuritySchemes("ApiKey"));
        app.MapMetrics("/metrics");

        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>().WithTags("API");
        v1.MapVoices();
        v1.MapTts();
        v1.MapUsage();
        v1.MapAuth();
        v1.MapCache();
        v1.MapOpenAi();
        v1.MapRealtimeTokens();
        v1.MapAdminTenants();
        v1.MapAdminKeys();
        v1.MapAdminVoices();
        v1.MapAdminAudit();
        v1.MapAdminUsage();
        v1.MapAdminRequestLog();
        v1.MapAdminSystem();

        // The pages and their sessions: a session is a /v1 credential, but logging in is how a browser gets one.
        app.MapWebSession();
        app.MapWebPages();

        // The WebSocket and Twilio routes authenticate by token or Twilio signature too, so they sit outside the group.
        app.MapRealtime();
        app.MapTwilio();
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // One line per request comes from RequestLoggingMiddleware; the framework's own request chatter is noise.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }

    private static void AddOptions(IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions>(ApiOptions.Section);
        services.AddValidatedOptions<SpeechHostOptions>(SpeechHostOptions.Section);
        services.AddValidatedOptions<VoiceOptions>(VoiceOptions.Section);
        services.AddOptions<OnnxOptions>().BindConfiguration(OnnxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnnxOptions>, OnnxOptionsValidator>();
        services.AddValidatedOptions<TlsOptions>(TlsOptions.Section);
        services.AddValidatedOptions<BootstrapOptions>(BootstrapOptions.Section);
        services.AddValidatedOptions<ApiKeyVerificationOptions>(ApiKeyVerificationOptions.Section);
        services.AddSingleton(new ApiKeyVerificationMetrics());
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>, IOptions<TlsOptions>>((kestrel, api, tls) =>
        {
            kestrel.AddServerHeader = false;
            // Endpoints refuse bodies over Api:MaxRequestBodyBytes with a JSON 413. Kestrel's hard limit sits 1 MiB higher so it
            // can drain a moderately oversized body after that answer and the client reads the 413 instead of a reset.
            kestrel.Limits.MaxRequestBodySize = Math.Max(api.Value.MaxRequestBodyBytes, 0) + BodyDrainAllowance;
            if (tls.Value is { Enabled: true } certificate && File.Exists(certificate.CertificatePath))
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = X509Certificate2.CreateFromPemFile(
                    certificate.CertificatePath, string.IsNullOrWhiteSpace(certificate.KeyPath) ? null : certificate.KeyPath));
            }
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ApiOptions>>((forwarded, api) =>
        {
            // With no known proxies at all the middleware would believe every peer, so an empty list turns it off.
            forwarded.ForwardedHeaders = api.Value.TrustedProxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // No fixed hop count: addresses are taken from the right while the hop that added them is trusted, so a
            // client's own X-Forwarded-For entries (left of the proxy's) are never believed.
            forwarded.ForwardLimit = null;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in api.Value.TrustedProxies) forwarded.KnownIPNetworks.Add(MetricsAccessMiddleware.ParseNetwork(network));
        });
    }
}
