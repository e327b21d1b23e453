namespace CallWaiting.Server.Revocation;

/// <summary>Broadcasts API-key status changes (revoked, suspended, …) so every replica drops its cached verification of that key.</summary>
/// <remarks>
/// With Redis, a change reaches every connected replica within milliseconds, so a revocation takes effect within 2 s
/// while Redis is up. Pub/sub drops what is published while a subscriber is disconnected; <see cref="Generation"/>
/// changes whenever that may have happened, and the verification cache's TTL bounds staleness in any case.
/// </remarks>
public interface IKeyRevocationBus
{
    /// <summary>Raised with the key id on each change, from this replica or another; handlers must be quick and idempotent.</summary>
    event Action<Guid>? KeyChanged;

    /// <summary>Changes whenever messages may have been missed (a reconnect); cache entries stamped with an older value are suspect.</summary>
    long Generation { get; }

    /// <summary>Announces that <paramref name="apiKeyId"/> now has status <paramref name="newStatus"/>; this replica's handlers run before it returns.</summary>
    Task PublishAsync(Guid apiKeyId, string newStatus, CancellationToken cancellationToken = default);
}
