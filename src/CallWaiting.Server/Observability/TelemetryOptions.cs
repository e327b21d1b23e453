namespace CallWaiting.Server.Observability;

/// <summary>
/// Telemetry settings. Traces are exported with OTLP only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set; OpenTelemetry's own <c>OTEL_*</c> variables configure them.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Telemetry";

    /// <summary>
    /// Tenants that get a label of their own on the per-tenant usage metrics, per process, in the order they are first
    /// seen; usage of any further tenant is counted under <c>tenant="other"</c>, so one series per tenant stays bounded.
    /// </summary>
    public int MaxTenantLabels { get; set; } = 100;
}
