using System.Collections.Concurrent;
using Prometheus;

namespace CallWaiting.Server.Observability;

/// <summary>
/// Characters and seconds of audio delivered per tenant (<c>tts_tenant_characters_total</c>,
/// <c>tts_tenant_audio_seconds_total</c>, label <c>tenant</c> = the tenant id). The first
/// <see cref="TelemetryOptions.MaxTenantLabels"/> tenants a process meets get their own label; later ones share
/// <see cref="OtherTenants"/>, so a flood of tenants cannot grow the series without bound.
/// </summary>
public sealed class TenantUsageMetrics
{
    /// <summary>The label of every tenant past the cap.</summary>
    public const string OtherTenants = "other";

    private readonly ConcurrentDictionary<Guid, string> _labels = new();
    private readonly Lock _gate = new();
    private readonly int _maxLabels;
    private readonly Counter _characters;
    private readonly Counter _audioSeconds;

    /// <summary>Registers (or reuses) the counters in <paramref name="factory"/>'s registry (the default one when null), with at most <paramref name="maxLabels"/> tenant labels.</summary>
    public TenantUsageMetrics(int maxLabels, IMetricFactory? factory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLabels);
        factory ??= Metrics.DefaultFactory;
        _maxLabels = maxLabels;
        _characters = factory.CreateCounter("tts_tenant_characters_total", "Characters of text delivered as speech (as metered: cache hits included), by tenant id; \"other\" past Telemetry:MaxTenantLabels.", ["tenant"]);
        _audioSeconds = factory.CreateCounter("tts_tenant_audio_seconds_total", "Seconds of audio delivered (as metered), by tenant id; \"other\" past Telemetry:MaxTenantLabels.", ["tenant"]);
    }

    /// <summary>Adds one delivery of <paramref name="characters"/> and <paramref name="audioSeconds"/> to <paramref name="tenantId"/>'s series.</summary>
    public void Record(Guid tenantId, int characters, double audioSeconds)
    {
        var label = Label(tenantId);
        _characters.WithLabels(label).Inc(characters);
        _audioSeconds.WithLabels(label).Inc(audioSeconds);
    }

    private string Label(Guid tenantId)
    {
        if (_labels.TryGetValue(tenantId, out var label)) return label;
        lock (_gate)
        {
            if (_labels.TryGetValue(tenantId, out label)) return label;
            if (_labels.Count >= _maxLabels) return OtherTenants;
            return _labels[tenantId] = tenantId.ToString();
        }
    }
}
