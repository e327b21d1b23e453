using Prometheus;

namespace CallWaiting.Server.Observability;

/// <summary>The API's Prometheus instruments, under the names the seed promises (DESIGN.md §2) plus engine gauges.</summary>
public sealed class ServerMetrics
{
    private static readonly double[] LatencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Registers (or reuses) the instruments in <paramref name="factory"/>'s registry; the default registry when null.</summary>
    public ServerMetrics(IMetricFactory? factory = null)
    {
        factory ??= Metrics.DefaultFactory;
        HttpRequests = factory.CreateCounter("http_requests_total", "HTTP requests answered, by method, route and status.", ["method", "endpoint", "status"]);
        TtsRequests = factory.CreateCounter("tts_requests_total", "Speech synthesis requests that produced audio, by voice and format.", ["voice", "format"]);
        GenerationDuration = factory.CreateHistogram("tts_generation_duration_seconds", "Time to synthesize and stream one TTS response.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        TimeToFirstAudio = factory.CreateHistogram("tts_time_to_first_audio_seconds", "Time from accepting a TTS request to its first audio bytes.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        EngineQueueDepth = factory.CreateGauge("tts_engine_queue_depth", "Synthesis requests waiting for an engine worker.");
        EngineBusyWorkers = factory.CreateGauge("tts_engine_busy_workers", "Engine workers serving a request.");
        EngineWorkerRestarts = factory.CreateGauge("tts_engine_worker_restarts", "Engine worker processes restarted since the server started.");
        UnknownPhonemes = factory.CreateCounter("tts_unknown_phonemes_total", "Phonemes skipped because a neural voice's phoneme map lacks them.");
        CpuPercent = factory.CreateGauge("system_cpu_percent", "Whole-machine CPU use since the previous scrape, in percent.");
        MemoryPercent = factory.CreateGauge("system_memory_percent", "Whole-machine memory in use (total minus available), in percent.");
    }

    /// <summary>http_requests_total{method,endpoint,status}.</summary>
    public Counter HttpRequests { get; }

    /// <summary>tts_requests_total{voice,format}.</summary>
    public Counter TtsRequests { get; }

    /// <summary>tts_generation_duration_seconds.</summary>
    public Histogram GenerationDuration { get; }

    /// <summary>tts_time_to_first_audio_seconds.</summary>
    public Histogram TimeToFirstAudio { get; }

    /// <summary>tts_engine_queue_depth.</summary>
    public Gauge EngineQueueDepth { get; }

    /// <summary>tts_engine_busy_workers.</summary>
    public Gauge EngineBusyWorkers { get; }

    /// <summary>tts_engine_worker_restarts.</summary>
    public Gauge EngineWorkerRestarts { get; }

    /// <summary>tts_unknown_phonemes_total.</summary>
    public Counter UnknownPhonemes { get; }

    /// <summary>system_cpu_percent.</summary>
    public Gauge CpuPercent { get; }

    /// <summary>system_memory_percent.</summary>
    public Gauge MemoryPercent { get; }
}
