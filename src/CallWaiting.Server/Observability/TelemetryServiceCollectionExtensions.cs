using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CallWaiting.Server.Observability;

/// <summary>Registers the per-tenant usage metrics and, when an OTLP endpoint is configured, OpenTelemetry tracing.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The service name on exported traces unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "callwaiting";

    /// <summary>
    /// Adds <see cref="TelemetryOptions"/> and <see cref="TenantUsageMetrics"/>; and, only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set (and <c>OTEL_SDK_DISABLED</c>
    /// is not true), a tracer over ASP.NET Core's server spans and the CallWaiting sources, exported with OTLP as the
    /// standard <c>OTEL_*</c> variables say. Otherwise nothing listens, so no span is ever created.
    /// </summary>
    public static IServiceCollection AddCallWaitingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.MaxTenantLabels is >= 0 and <= 10_000, "Telemetry:MaxTenantLabels must be between 0 and 10000.")
            .ValidateOnStart();
        services.AddSingleton(sp => new TenantUsageMetrics(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.MaxTenantLabels));

        if (!TracingConfigured(configuration)) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(ServerActivities.SourceName, SpeechActivities.SourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = IsTraced)
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Whether the configuration names an OTLP endpoint for traces and does not disable the SDK.</summary>
    public static bool TracingConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (bool.TryParse(configuration["OTEL_SDK_DISABLED"], out var disabled) && disabled) return false;
        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
    }

    // Scrapes and probes arrive every few seconds and say nothing about a request: they are not traced.
    private static bool IsTraced(HttpContext context) =>
        !(context.Request.Path.StartsWithSegments("/metrics") || context.Request.Path.StartsWithSegments("/health")
            || context.Request.Path.StartsWithSegments("/ready"));
}
