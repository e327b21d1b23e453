using StackExchange.Redis;

namespace CallWaiting.Server.Redis;

/// <summary>How to reach Redis: the CALLWAITING_REDIS configuration string plus the fail-fast defaults the server relies on.</summary>
public sealed class RedisConnectionOptions
{
    /// <summary>The environment variable holding the StackExchange.Redis configuration string.</summary>
    public const string EnvironmentVariable = "CALLWAITING_REDIS";

    /// <summary>Creates options for a StackExchange.Redis configuration string such as "localhost:6379,password=…".</summary>
    public RedisConnectionOptions(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        Configuration = configuration;
    }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Configuration { get; }

    /// <summary>Connect timeout, unless the configuration string sets connectTimeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sync and async command timeout, unless the configuration string sets syncTimeout/asyncTimeout.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between reconnect attempts while Redis is unreachable.</summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Options from CALLWAITING_REDIS, or null when it is unset or blank (in-process limits and broadcasts).</summary>
    public static RedisConnectionOptions? FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var value = (getVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new RedisConnectionOptions(value);
    }

    /// <summary>Parses the configuration string and applies the server's defaults; throws <see cref="ArgumentException"/> for a malformed string.</summary>
    /// <remarks>
    /// AbortOnConnectFail is always off so the server starts, and keeps retrying, while Redis is down. Commands fail fast
    /// instead of queueing while disconnected, so callers can fall back at once rather than after a timeout.
    /// </remarks>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException($"The Redis configuration '{Configuration}' names no endpoint.", nameof(Configuration));
        }

        var explicitKeys = Configuration.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
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
