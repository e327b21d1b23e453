using CallWaiting.Server.Redis;
using StackExchange.Redis;

namespace CallWaiting.Server.RateLimiting;

/// <summary>Fixed-window rate limiter shared by all replicas through Redis; one atomic Lua script per check.</summary>
/// <remarks>
/// Keys are <c>cw:rl:{policy:subject}:&lt;period seconds&gt;</c>; the braces make every window of a subject hash to one
/// cluster slot. The script goes by EVALSHA; a server that doesn't know it (first use, restart, SCRIPT FLUSH, failover
/// to another node) answers NOSCRIPT, and the script is then loaded into that server once and the call repeated;
/// <see cref="LoadScriptAsync"/> loads it ahead of the first request at start-up.
/// Errors and timeouts surface as exceptions; <see cref="FailoverRateLimiter"/> turns them into local decisions.
/// </remarks>
public sealed class RedisRateLimiter : IRateLimiter
{
    private const string KeyPrefix = "cw:rl:{";

    private static readonly RedisValue Consume = "1";
    private static readonly RedisValue Report = "0";

    private readonly RedisConnection _connection;

    /// <summary>Creates a limiter over <paramref name="connection"/> (not owned), which may still be connecting.</summary>
    public RedisRateLimiter(RedisConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        EvaluateAsync(policy, subject, Consume, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> PeekAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        EvaluateAsync(policy, subject, Report, cancellationToken);

    /// <summary>
    /// Loads the script into every connected primary, so that the first limited request does not pay for a NOSCRIPT
    /// round trip and a load (which on a busy machine could outlast the failover timeout and be decided locally).
    /// A server that cannot be reached now is left to the lazy path.
    /// </summary>
    public async Task LoadScriptAsync()
    {
        foreach (var endpoint in _connection.Multiplexer.GetEndPoints())
        {
            var server = _connection.Multiplexer.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica) continue;
            try
            {
                await server.ScriptLoadAsync(RedisRateLimitScript.Source).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Loaded on first use instead.
            }
        }
    }

    /// <summary>Round-trips a PING; throws when Redis can't answer.</summary>
    public Task<TimeSpan> PingAsync() => _connection.Database.PingAsync();

    /// <summary>The Redis key of one window's counter.</summary>
    internal static RedisKey KeyFor(RateLimitPolicy policy, string subject, RateLimitWindow window) =>
        string.Concat(KeyPrefix, policy.Name, ":", subject, "}:", ((long)window.Period.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async ValueTask<RateLimitDecision> EvaluateAsync(RateLimitPolicy policy, string subject, RedisValue mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RateLimitPolicy.ValidateSubject(subject);
        cancellationToken.ThrowIfCancellationRequested();

        var windows = policy.Windows;
        var keys = new RedisKey[windows.Count];
        var args = new RedisValue[1 + 2 * windows.Count];
        args[0] = mode;
        for (var i = 0; i < windows.Count; i++)
        {
            keys[i] = KeyFor(policy, subject, windows[i]);
            args[1 + 2 * i] = windows[i].Limit;
            args[2 + 2 * i] = windows[i].PeriodMilliseconds;
        }

        var result = await RunScriptAsync(keys, args).WaitAsync(cancellationToken).ConfigureAwait(false);
        var values = (long[]?)result;
        if (values is null || values.Length != 2 + windows.Count)
        {
            throw new RedisException($"The rate-limit script returned {values?.Length ?? 0} values for {windows.Count} windows.");
        }

        return RateLimitDecision.FromCounts(policy, values[0], values[1] == 1, values.AsSpan(2));
    }

    private async Task<RedisResult> RunScriptAsync(RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await _connection.Database.ScriptEvaluateAsync(RedisRateLimitScript.Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // Load into the server that owns these keys, then retry once; another NOSCRIPT now would be a real fault.
            await _connection.Multiplexer.GetServer(keys[0]).ScriptLoadAsync(RedisRateLimitScript.Source).ConfigureAwait(false);
            return await _connection.Database.ScriptEvaluateAsync(RedisRateLimitScript.Sha1, keys, args).ConfigureAwait(false);
        }
    }
}
