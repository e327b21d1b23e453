using Prometheus;

namespace CallWaiting.Server.Realtime;

/// <summary>Prometheus instruments of the WebSocket endpoint.</summary>
public sealed class RealtimeMetrics
{
    /// <summary>Registers (or reuses) the instruments in <paramref name="factory"/>'s registry; the default registry when null.</summary>
    public RealtimeMetrics(IMetricFactory? factory = null)
    {
        factory ??= Metrics.DefaultFactory;
        OpenSessions = factory.CreateGauge("tts_ws_sessions_open", "WebSocket TTS sessions open now.");
        ClosedSessions = factory.CreateCounter("tts_ws_sessions_closed_total", "WebSocket TTS sessions ended, by close code (\"none\" when the connection broke).", ["code"]);
    }

    /// <summary>tts_ws_sessions_open.</summary>
    public Gauge OpenSessions { get; }

    /// <summary>tts_ws_sessions_closed_total{code}.</summary>
    public Counter ClosedSessions { get; }
}
