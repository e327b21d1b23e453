using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.RateLimiting;

/// <summary>Rate-limit settings and the policies built from them: per API key, per client IP before authentication, and failed authentications per IP and per key prefix.</summary>
public sealed class RateLimitOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimits";

    /// <summary>Policy name (counter namespace) of per-key limits.</summary>
    public const string ApiKeyPolicyName = "key";

    /// <summary>Policy name of the pre-authentication per-IP limit.</summary>
    public const string IpPolicyName = "ip";

    /// <summary>Policy name of the failed-authentication budget per IP.</summary>
    public const string FailedAuthPolicyName = "ip-auth-fail";

    /// <summary>Policy name of the failed-authentication budget per key prefix.</summary>
    public const string FailedAuthPerPrefixPolicyName = "prefix-auth-fail";

    private RateLimitPolicy? _ipPolicy;
    private RateLimitPolicy? _failedAuthPolicy;
    private RateLimitPolicy? _failedAuthPerPrefixPolicy;
    private RateLimitPolicy? _defaultKeyPolicy;

    /// <summary>Requests per minute for a key without its own limit.</summary>
    public int DefaultPerMinute { get; init; } = 120;

    /// <summary>Requests per day for a key without its own limit.</summary>
    public int DefaultPerDay { get; init; } = 10_000;

    /// <summary>Requests per minute from one IP, checked before authentication (against key guessing and floods).</summary>
    public int PerIpPerMinute { get; init; } = 300;

    /// <summary>Failed authentications per minute from one IP; past it, that IP gets 429 until the window resets.</summary>
    public int FailedAuthPerIpPerMinute { get; init; } = 30;

    /// <summary>Failed scrypt verifications per minute for one key prefix, from any IP; past it, that prefix gets 429 without scrypt.</summary>
    public int FailedAuthPerPrefixPerMinute { get; init; } = 20;

    /// <summary>The pre-authentication per-IP policy; its subject is the client IP.</summary>
    public RateLimitPolicy IpPolicy => _ipPolicy ??= new RateLimitPolicy(IpPolicyName, RateLimitWindow.PerMinute(PerIpPerMinute));

    /// <summary>
    /// The failed-authentication policy; its subject is the client IP. The HTTP layer peeks it before verifying a key
    /// (429 when exhausted, without even checking the key) and acquires it after each failed verification.
    /// </summary>
    public RateLimitPolicy FailedAuthPolicy => _failedAuthPolicy ??= new RateLimitPolicy(FailedAuthPolicyName, RateLimitWindow.PerMinute(FailedAuthPerIpPerMinute));

    /// <summary>
    /// The failed-verification budget of a key prefix (existing or not); its subject is the lookup prefix. The HTTP layer
    /// peeks it before scrypt and acquires it after each verification that ran scrypt and did not admit the key, so a
    /// brute force against one prefix, however many addresses it comes from, buys only this many hashes a minute.
    /// </summary>
    public RateLimitPolicy FailedAuthPerPrefixPolicy => _failedAuthPerPrefixPolicy ??=
        new RateLimitPolicy(FailedAuthPerPrefixPolicyName, RateLimitWindow.PerMinute(FailedAuthPerPrefixPerMinute));

    /// <summary>The per-key policy for a key's own limits, or the defaults where the key has none; its subject is the key id.</summary>
    /// <remarks>Returns a shared instance for default limits; callers may cache custom ones alongside the verified key.</remarks>
    public RateLimitPolicy ForApiKey(int? perMinute = null, int? perDay = null)
    {
        if (perMinute is null && perDay is null)
        {
            return _defaultKeyPolicy ??= BuildKeyPolicy(DefaultPerMinute, DefaultPerDay);
        }

        return BuildKeyPolicy(perMinute ?? DefaultPerMinute, perDay ?? DefaultPerDay);
    }

    /// <summary>The subject for per-key counters.</summary>
    public static string ApiKeySubject(Guid apiKeyId) => apiKeyId.ToString("N");

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (DefaultPerMinute < 1 || DefaultPerDay < 1 || PerIpPerMinute < 1 || FailedAuthPerIpPerMinute < 1 || FailedAuthPerPrefixPerMinute < 1)
        {
            yield return "RateLimits: every limit (DefaultPerMinute, DefaultPerDay, PerIpPerMinute, FailedAuthPerIpPerMinute, FailedAuthPerPrefixPerMinute) must be at least 1.";
        }
    }

    private static RateLimitPolicy BuildKeyPolicy(int perMinute, int perDay) =>
        new(ApiKeyPolicyName, RateLimitWindow.PerMinute(perMinute), RateLimitWindow.PerDay(perDay));
}
