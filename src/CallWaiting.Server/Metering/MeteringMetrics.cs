using Prometheus;

namespace CallWaiting.Server.Metering;

/// <summary>Prometheus instruments of the usage meter.</summary>
public sealed class MeteringMetrics
{
    /// <summary>Label value for usage events.</summary>
    public const string UsageKind = "usage_event";

    /// <summary>Label value for request log rows.</summary>
    public const string LogKind = "request_log";

    /// <summary>Creates (or finds) the instruments in a registry (the process-wide default when null).</summary>
    public MeteringMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry);
        QueueDepth = factory.CreateGauge(
            "metering_queue_depth",
            "Usage events and request logs accepted but not yet written to the database.");
        Written = factory.CreateCounter(
            "metering_written_total",
            "Usage events and request logs committed to the database.",
            new CounterConfiguration { LabelNames = ["kind"] });
        WriteFailures = factory.CreateCounter(
            "metering_write_failures_total",
            "Batch write attempts that failed (the batch is kept and retried).");
        BatchDuration = factory.CreateHistogram(
            "metering_batch_duration_seconds",
            "Duration of successful batch writes.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        Dropped = factory.CreateCounter(
            "metering_dropped_total",
            "Usage events and request logs that were not written, by reason (log_overflow, after_shutdown, invalid, shutdown_deadline).",
            new CounterConfiguration { LabelNames = ["kind", "reason"] });
    }

    /// <summary>metering_queue_depth: accepted, not yet written.</summary>
    public Gauge QueueDepth { get; }

    /// <summary>metering_written_total{kind}.</summary>
    public Counter Written { get; }

    /// <summary>metering_write_failures_total.</summary>
    public Counter WriteFailures { get; }

    /// <summary>metering_batch_duration_seconds.</summary>
    public Histogram BatchDuration { get; }

    /// <summary>metering_dropped_total{kind, reason}.</summary>
    public Counter Dropped { get; }
}
