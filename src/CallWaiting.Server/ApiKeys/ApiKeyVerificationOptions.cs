using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.ApiKeys;

/// <summary>Bounds on the scrypt work that verifying presented keys may cost: how many at once, how many waiting, and how long wrong keys are remembered.</summary>
public sealed class ApiKeyVerificationOptions : IValidatedOptions
{
    /// <summary>The configuration section (CALLWAITING_Auth__…).</summary>
    public const string Section = "Auth";

    /// <summary>scrypt verifications running at once; each takes a core and 16 MiB while it runs.</summary>
    public int MaxConcurrentVerifications { get; init; } = Environment.ProcessorCount;

    /// <summary>Verifications that may wait for a slot; beyond them a request is refused at once (503, Retry-After).</summary>
    public int MaxQueuedVerifications { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>How long a verification may wait for a slot before it is refused (503, Retry-After).</summary>
    public TimeSpan MaxVerificationWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a key that failed verification is refused from memory, without scrypt.</summary>
    public TimeSpan RejectedKeyTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most failed keys remembered at once.</summary>
    public int RejectedKeyMaxEntries { get; init; } = 10_000;

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (MaxConcurrentVerifications < 1) yield return "Auth:MaxConcurrentVerifications must be at least 1.";
        if (MaxQueuedVerifications < 0) yield return "Auth:MaxQueuedVerifications must not be negative.";
        if (MaxVerificationWait <= TimeSpan.Zero) yield return "Auth:MaxVerificationWait must be positive.";
        if (RejectedKeyTtl <= TimeSpan.Zero) yield return "Auth:RejectedKeyTtl must be positive.";
        if (RejectedKeyMaxEntries < 1) yield return "Auth:RejectedKeyMaxEntries must be at least 1.";
    }
}
