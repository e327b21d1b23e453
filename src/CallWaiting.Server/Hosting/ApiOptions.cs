using CallWaiting.Server.Configuration;
using CallWaiting.Server.Observability;

namespace CallWaiting.Server.Hosting;

/// <summary>HTTP API limits and policies (configuration section <c>Api</c>, e.g. env <c>CALLWAITING_Api__MaxTextLength</c>).</summary>
public sealed class ApiOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Api";

    /// <summary>Longest accepted TTS text in characters, counted as Unicode code points (the seed's default is 1200).</summary>
    public int MaxTextLength { get; set; } = 1200;

    /// <summary>Largest accepted request body in bytes; bigger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Browser origins allowed by CORS for every key (keys may add their own allowed origins).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Addresses or CIDR networks allowed to scrape /metrics; loopback only by default.</summary>
    public string[] MetricsAllowlist { get; set; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by
    /// default, so a client cannot choose the address its per-IP limits, logs and the metrics allowlist see.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How often last_used_at is written for the keys used since the previous write.</summary>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (MaxTextLength is < 1 or > 100_000) yield return "Api:MaxTextLength must be between 1 and 100000 characters.";
        if (MaxRequestBodyBytes is < 1024 or > 64L * 1024 * 1024) yield return "Api:MaxRequestBodyBytes must be between 1024 and 67108864.";
        if (!MetricsAllowlist.All(IsNetwork)) yield return "Api:MetricsAllowlist entries must be IP addresses or CIDR networks such as 10.0.0.0/8.";
        if (!TrustedProxies.All(IsNetwork)) yield return "Api:TrustedProxies entries must be IP addresses or CIDR networks such as 10.0.0.0/8.";
        if (!CorsOrigins.All(IsOrigin)) yield return "Api:CorsOrigins entries must be origins such as https://app.example.com.";
        if (LastUsedFlushInterval <= TimeSpan.Zero) yield return "Api:LastUsedFlushInterval must be positive.";
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
