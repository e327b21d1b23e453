using CallWaiting.Server.Configuration;
using StackExchange.Redis;

namespace CallWaiting.Server.Redis;

/// <summary>
/// How to reach Redis (section <c>Redis</c>): the CALLWAITING_REDIS configuration string plus the fail-fast defaults
/// the server relies on. Without a configuration string, limits, broadcasts and the cache stay in-process.
/// </summary>
public sealed class RedisConnectionOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Redis";

    /// <summary>The environment variable holding the StackExchange.Redis configuration string.</summary>
    public const string EnvironmentVariable = "CALLWAITING_REDIS";

    /// <summary>Options without Redis; bound from configuration.</summary>
    public RedisConnectionOptions()
    {
    }

    /// <summary>Creates options for a StackExchange.Redis configuration string such as "localhost:6379,password=…".</summary>
    public RedisConnectionOptions(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        Configuration = configuration;
    }

    /// <summary>The StackExchange.Redis configuration string (CALLWAITING_REDIS); unset or blank means no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Connect timeout, unless the configuration string sets connectTimeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sync and async command timeout, unless the configuration string sets syncTimeout/asyncTimeout.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between reconnect attempts while Redis is unreachable.</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a Redis server is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (ConnectTimeout <= TimeSpan.Zero) yield return "Redis:ConnectTimeout must be positive.";
        if (CommandTimeout <= TimeSpan.Zero) yield return "Redis:CommandTimeout must be positive.";
        if (MaxReconnectBackoff <= TimeSpan.Zero) yield return "Redis:MaxReconnectBackoff must be positive.";
        if (!IsConfigured) yield break;
        string? problem = null;
        try
        {
            ToConfigurationOptions();
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }

        if (problem is not null) yield return $"Redis:Configuration ({EnvironmentVariable}): {problem}";
    }

    /// <summary>Parses the configuration string and applies the server's defaults; throws <see cref="ArgumentException"/> for a malformed string.</summary>
    /// <remarks>
    /// AbortOnConnectFail is always off so the server starts, and keeps retrying, while Redis is down. Commands fail fast
    /// instead of queueing while disconnected, so callers can fall back at once rather than after a timeout.
    /// </remarks>
    public ConfigurationOptions ToConfigurationOptions()
    {
        if (!IsConfigured) throw new InvalidOperationException("No Redis is configured.");
        var options = ConfigurationOptions.Parse(Configuration!);
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration names no endpoint (e.g. \"redis:6379\").");
        }

        var explicitKeys = Configuration!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.Split('=', 2)[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var commandTimeoutMs = (int)CommandTimeout.TotalMilliseconds;
        if (!explicitKeys.Contains("connectTimeout"))
        {
            options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        }

        if (!explicitKeys.Contains("syncTimeout"))
        {
            options.SyncTimeout = commandTimeoutMs;
        }

        if (!explicitKeys.Contains("asyncTimeout"))
        {
            options.AsyncTimeout = commandTimeoutMs;
        }

        if (!explicitKeys.Contains("name"))
        {
            options.ClientName = "callwaiting";
        }

        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(
            Math.Max(50, (int)ConnectTimeout.TotalMilliseconds / 4),
            Math.Max(100, (int)MaxReconnectBackoff.TotalMilliseconds));
        return options;
    }
}
