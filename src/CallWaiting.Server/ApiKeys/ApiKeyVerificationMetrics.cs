using Prometheus;

namespace CallWaiting.Server.ApiKeys;

/// <summary>Prometheus counters of key verification: how each presented key was answered, and how many scrypt hashes that cost.</summary>
public sealed class ApiKeyVerificationMetrics
{
    /// <summary>Answered from the verification cache (no scrypt).</summary>
    public const string Cached = "cached";

    /// <summary>Refused from the memory of recently failed keys (no scrypt).</summary>
    public const string RejectedCached = "rejected_cached";

    /// <summary>Not a key at all (no scrypt).</summary>
    public const string Malformed = "malformed";

    /// <summary>scrypt admitted it.</summary>
    public const string Valid = "valid";

    /// <summary>scrypt ran and did not admit it: wrong secret, unknown prefix, or a revoked, suspended or expired key.</summary>
    public const string Refused = "refused";

    /// <summary>Answered by the verification of the same key that another request had already started (no scrypt of its own).</summary>
    public const string Joined = "joined";

    /// <summary>Refused without scrypt: its prefix spent its failure budget.</summary>
    public const string Throttled = "throttled";

    /// <summary>Refused without scrypt: no verification slot freed up in time.</summary>
    public const string Busy = "busy";

    /// <summary>Registers (or reuses) the counters in <paramref name="factory"/>'s registry; the default registry when null.</summary>
    public ApiKeyVerificationMetrics(IMetricFactory? factory = null)
    {
        factory ??= Metrics.DefaultFactory;
        Verifications = factory.CreateCounter("api_key_verifications_total", "Presented API keys, by how they were answered.", ["result"]);
        Scrypt = factory.CreateCounter("api_key_scrypt_total", "scrypt verifications run (against a stored hash or the decoy for unknown prefixes).");
    }

    /// <summary>api_key_verifications_total{result}.</summary>
    public Counter Verifications { get; }

    /// <summary>api_key_scrypt_total.</summary>
    public Counter Scrypt { get; }

    /// <summary>Counts one answer.</summary>
    public void Count(string result) => Verifications.WithLabels(result).Inc();
}
