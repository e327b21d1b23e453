namespace CallWaiting.Server.RateLimiting;

/// <summary>Decides whether a subject may make one more request under a policy's windows.</summary>
/// <remarks>
/// A request is counted only when every window of the policy allows it: refused requests consume nothing,
/// so a client that keeps retrying while limited regains its budget as soon as the binding window resets.
/// </remarks>
public interface IRateLimiter
{
    /// <summary>Consumes one request from every window of <paramref name="policy"/> for <paramref name="subject"/> when all allow it.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default);

    /// <summary>Reports what <see cref="AcquireAsync"/> would decide now, consuming nothing.</summary>
    ValueTask<RateLimitDecision> PeekAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default);
}
