using System.Collections.Concurrent;
using CallWaiting.Server.ApiKeys;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Auth;

/// <summary>
/// Tells long-lived connections (WebSocket sessions) when the key that opened them stops being usable: revoked or
/// suspended (the key or its tenant), as the key-change broadcasts and the database feed report it to the verification
/// cache, or expired. A
/// request is checked when it arrives; a session lasts a call, so it must hear of a revocation while it runs.
/// </summary>
public sealed partial class ApiKeyWatch : IDisposable
{
    private readonly ApiKeyVerificationCache _cache;
    private readonly ApiKeyRepository _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Watcher, byte>> _watchers = new();

    private static readonly TimeSpan LongestExpiryWatch = TimeSpan.FromDays(45);

    /// <summary>Listens to the changes the verification cache is told of.</summary>
    public ApiKeyWatch(ApiKeyVerificationCache cache, ApiKeyRepository keys, TimeProvider time, ILogger<ApiKeyWatch> logger)
    {
        _cache = cache;
        _keys = keys;
        _time = time;
        _logger = logger;
        cache.KeyChanged += OnKeyChanged;
        cache.TenantChanged += OnTenantChanged;
    }

    /// <summary>Watches <paramref name="key"/> until the returned watcher is disposed; its <see cref="Watcher.Refused"/> completes with the reason the key stopped being usable.</summary>
    public Watcher Watch(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var watcher = new Watcher(this, key.Id, key.TenantId, key.KeyPrefix);
        _watchers.GetOrAdd(key.Id, _ => new ConcurrentDictionary<Watcher, byte>())[watcher] = 0;
        // A timer reaches about 49 days at most; no session lasts that long (Realtime:MaxSessionDuration, 1 h by default).
        if (key.ExpiresAt is { } expires && expires - _time.GetUtcNow() is var left && left <= LongestExpiryWatch)
            watcher.ExpireAfter(_time, left < TimeSpan.Zero ? TimeSpan.Zero : left);
        return watcher;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.KeyChanged -= OnKeyChanged;
        _cache.TenantChanged -= OnTenantChanged;
    }

    private void OnKeyChanged(Guid keyId)
    {
        if (_watchers.TryGetValue(keyId, out var watchers) && !watchers.IsEmpty) _ = RecheckAsync(keyId, watchers);
    }

    private void OnTenantChanged(Guid tenantId)
    {
        foreach (var (keyId, watchers) in _watchers)
        {
            if (watchers.Keys.FirstOrDefault() is { } any && any.TenantId == tenantId) _ = RecheckAsync(keyId, watchers);
        }
    }

    // A change may also be a reactivation or a new limit: only a key that authentication would now refuse ends sessions.
    private async Task RecheckAsync(Guid keyId, ConcurrentDictionary<Watcher, byte> watchers)
    {
        try
        {
            if (watchers.Keys.FirstOrDefault() is not { } any) return;
            // By prefix, as authentication looks keys up: that lookup counts the tenant's suspension too.
            var credential = await _keys.FindByPrefixAsync(any.KeyPrefix).ConfigureAwait(false);
            var verification = new ApiKeyVerification(credential?.Key.UsabilityAt(_time.GetUtcNow()) ?? ApiKeyVerificationStatus.Revoked, credential?.Key);
            if (verification.IsValid) return;
            foreach (var watcher in watchers.Keys) watcher.Refuse(verification.Detail + ".");
        }
        catch (Exception e)
        {
            // The database is away: sessions go on, as new requests with a cached verification would.
            LogRecheckFailed(_logger, e, keyId);
        }
    }

    private void Remove(Watcher watcher)
    {
        if (_watchers.TryGetValue(watcher.KeyId, out var watchers))
        {
            watchers.TryRemove(watcher, out _);
            if (watchers.IsEmpty) _watchers.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Watcher, byte>>(watcher.KeyId, watchers));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recheck API key {ApiKeyId} after a change; its sessions go on")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception, Guid apiKeyId);

    /// <summary>One connection's watch of its key.</summary>
    public sealed class Watcher : IDisposable
    {
        private readonly ApiKeyWatch _owner;
        private readonly TaskCompletionSource<string> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _expiry;

        internal Watcher(ApiKeyWatch owner, Guid keyId, Guid tenantId, string keyPrefix)
        {
            _owner = owner;
            KeyId = keyId;
            TenantId = tenantId;
            KeyPrefix = keyPrefix;
        }

        internal Guid KeyId { get; }

        internal Guid TenantId { get; }

        internal string KeyPrefix { get; }

        /// <summary>Completes with the reason (the API's 403 detail) once the key is no longer usable; never otherwise.</summary>
        public Task<string> Refused => _refused.Task;

        internal void Refuse(string reason) => _refused.TrySetResult(reason);

        internal void ExpireAfter(TimeProvider time, TimeSpan delay) =>
            _expiry = time.CreateTimer(static state => ((Watcher)state!).Refuse(new ApiKeyVerification(ApiKeyVerificationStatus.Expired, null).Detail + "."),
                this, delay, Timeout.InfiniteTimeSpan);

        /// <inheritdoc />
        public void Dispose()
        {
            _expiry?.Dispose();
            _owner.Remove(this);
        }
    }
}
