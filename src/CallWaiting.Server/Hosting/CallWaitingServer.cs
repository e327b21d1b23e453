using System.Security.Cryptography.X509Certificates;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Health;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Observability;
using CallWaiting.Server.OpenAi;
using CallWaiting.Server.RateLimiting;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Realtime;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Twilio;
using CallWaiting.Server.Usage;
using CallWaiting.Server.Voices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
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
    /// Storage and Redis come from CALLWAITING_DB / CALLWAITING_DATA_DIR / CALLWAITING_REDIS; bad values throw
    /// <see cref="ArgumentException"/>, and options are validated when the server starts.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, string? urls = null, TextWriter? console = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        var configuration = builder.Configuration;
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(TlsFromEnvironment());
        builder.WebHost.UseUrls(urls ?? configuration["urls"] ?? DefaultUrls);

        ConfigureLogging(builder.Logging);
        ConfigureKestrel(builder.WebHost, configuration);

        var services = builder.Services;
        AddOptions(services, configuration);
        services.AddSingleton(new ServerConsole(console ?? Console.Out));
        services.AddCallWaitingStorage(StorageOptions.FromEnvironment());
        await AddRateLimitingAsync(services);
        services.AddSingleton(new ServerMetrics());
        services.AddCallWaitingTelemetry(configuration);
        services.AddSingleton<SystemUsage>();
        services.AddSingleton<SpeechHost>();
        services.AddSingleton<VoiceResolver>();
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<ApiKeyAdmission>();
        services.AddSingleton<LastUsedTracker>();
        services.AddSingleton<IApiMeter, MeteringApiMeter>();

        services.AddAudioCache(configuration);
        services.AddTts();
        services.AddOpenAiCompatibility(configuration);

        // Start order: engines and schema first; stop order is the reverse, so metering and last-use flush after the server drained.
        services.AddHostedService<ServerInitializer>();
        services.AddHostedService<RequestPathWarmup>();
        services.AddMetering();
        services.AddHostedService(sp => sp.GetRequiredService<LastUsedTracker>());
        services.AddHostedService<RevocationListener>();
        services.AddHostedService<KeyChangePoller>();
        services.AddHostedService<IdleMemoryTrimmer>();

        // Realtime and telephony (issue 4): the /v1/tts/ws WebSocket, its tokens, Twilio TwiML and signed audio URLs.
        services.AddRealtime(configuration);
        services.AddTwilio(configuration);

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
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<CorsMiddleware>();
        app.UseStatusCodePages(JsonStatusCodePages.WriteAsync);
        app.UseMiddleware<FrameSizeGuardMiddleware>();
        app.UseWebSockets();
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

    private static void ConfigureKestrel(IWebHostBuilder webHost, IConfiguration configuration)
    {
        var api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        var tls = configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Endpoints refuse bodies over Api:MaxRequestBodyBytes with a JSON 413. Kestrel's hard limit sits 1 MiB higher so it
            // can drain a moderately oversized body after that answer and the client reads the 413 instead of a reset.
            kestrel.Limits.MaxRequestBodySize = Math.Max(api.MaxRequestBodyBytes, 0) + BodyDrainAllowance;
            if (tls.Enabled)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate =
                    X509Certificate2.CreateFromPemFile(tls.CertificatePath!, string.IsNullOrWhiteSpace(tls.KeyPath) ? null : tls.KeyPath));
            }
        });
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(o => o.MaxTextLength is >= 1 and <= 100_000, "Api:MaxTextLength must be between 1 and 100000 characters.")
            .Validate(o => o.MaxRequestBodyBytes is >= 1024 and <= 64L * 1024 * 1024, "Api:MaxRequestBodyBytes must be between 1024 and 67108864.")
            .Validate(o => o.MetricsAllowlist.All(IsNetwork), "Api:MetricsAllowlist entries must be IP addresses or CIDR networks such as 10.0.0.0/8.")
            .Validate(o => o.TrustedProxies.All(IsNetwork), "Api:TrustedProxies entries must be IP addresses or CIDR networks such as 10.0.0.0/8.")
            .Validate(o => o.CorsOrigins.All(IsOrigin), "Api:CorsOrigins entries must be origins such as https://app.example.com.")
            .Validate(o => o.LastUsedFlushInterval > TimeSpan.Zero, "Api:LastUsedFlushInterval must be positive.")
            .ValidateOnStart();
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
        services.AddOptions<SpeechHostOptions>().Bind(configuration.GetSection(SpeechHostOptions.Section))
            .Validate(o => o.Workers is >= 1 and <= 256, "Speech:Workers must be between 1 and 256.")
            .Validate(o => o.QueueCapacity is null or >= 0, "Speech:QueueCapacity must not be negative.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Speech:RequestTimeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.Section))
            .Validate(o => !o.Enabled || File.Exists(o.CertificatePath), $"Tls:CertificatePath ({TlsOptions.CertificateVariable}) names no readable file.")
            .Validate(o => !o.Enabled || string.IsNullOrWhiteSpace(o.KeyPath) || File.Exists(o.KeyPath), $"Tls:KeyPath ({TlsOptions.KeyVariable}) names no readable file.")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o is { DefaultPerMinute: >= 1, DefaultPerDay: >= 1, PerIpPerMinute: >= 1, FailedAuthPerIpPerMinute: >= 1, FailedAuthPerPrefixPerMinute: >= 1 },
                "RateLimits: every limit (DefaultPerMinute, DefaultPerDay, PerIpPerMinute, FailedAuthPerIpPerMinute, FailedAuthPerPrefixPerMinute) must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        services.AddOptions<ApiKeyVerificationOptions>().Bind(configuration.GetSection(ApiKeyVerificationOptions.Section))
            .Validate(o => o is { MaxConcurrentVerifications: >= 1, MaxQueuedVerifications: >= 0, RejectedKeyMaxEntries: >= 1 }
                    && o.MaxVerificationWait > TimeSpan.Zero && o.RejectedKeyTtl > TimeSpan.Zero,
                "Auth: MaxConcurrentVerifications and RejectedKeyMaxEntries must be at least 1, MaxQueuedVerifications at least 0, MaxVerificationWait and RejectedKeyTtl positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiKeyVerificationOptions>>().Value);
        services.AddSingleton(new ApiKeyVerificationMetrics());

        // A busy replica (scrypt, synthesis) can answer a healthy Redis late; one second keeps such hiccups from splitting
        // the shared count into per-replica counts, while a Redis that is really gone still fails over quickly.
        var failover = new FailoverRateLimiterOptions { RedisTimeout = TimeSpan.FromSeconds(1) };
        configuration.GetSection("RateLimits:Failover").Bind(failover);
        failover.Validate();
        services.AddSingleton(failover);
    }

    private static async Task AddRateLimitingAsync(IServiceCollection services)
    {
        var metrics = new RateLimitMetrics();
        services.AddSingleton(metrics);
        services.AddSingleton(sp => new LocalRateLimiter(sp.GetRequiredService<TimeProvider>()));
        var redisOptions = RedisConnectionOptions.FromEnvironment();
        if (redisOptions is null)
        {
            services.AddSingleton<IRateLimiter>(sp => new MeteredRateLimiter(sp.GetRequiredService<LocalRateLimiter>(), metrics));
            return;
        }

        var redis = await RedisConnection.ConnectAsync(redisOptions);
        // Registered through a factory so the container owns it and closes it at shutdown.
        services.AddSingleton(_ => redis);
        var redisLimiter = new RedisRateLimiter(redis);
        await redisLimiter.LoadScriptAsync();
        services.AddSingleton(redisLimiter);
        services.AddSingleton(sp => new FailoverRateLimiter(
            sp.GetRequiredService<RedisRateLimiter>(), sp.GetRequiredService<LocalRateLimiter>(), metrics, sp.GetRequiredService<ILogger<FailoverRateLimiter>>(),
            sp.GetRequiredService<FailoverRateLimiterOptions>()));
        services.AddSingleton<IRateLimiter>(sp => new MeteredRateLimiter(sp.GetRequiredService<FailoverRateLimiter>(), metrics));
    }

    private static Dictionary<string, string?> TlsFromEnvironment()
    {
        var settings = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable(TlsOptions.CertificateVariable) is { Length: > 0 } cert) settings[$"{TlsOptions.Section}:{nameof(TlsOptions.CertificatePath)}"] = cert;
        if (Environment.GetEnvironmentVariable(TlsOptions.KeyVariable) is { Length: > 0 } key) settings[$"{TlsOptions.Section}:{nameof(TlsOptions.KeyPath)}"] = key;
        return settings;
    }

    private static bool IsNetwork(string text)
    {
        try
        {
            MetricsAccessMiddleware.ParseNetwork(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsOrigin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/";
}
