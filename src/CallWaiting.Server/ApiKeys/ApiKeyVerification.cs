namespace CallWaiting.Server.ApiKeys;

/// <summary>The typed result of <see cref="ApiKeyVerifier.VerifyAsync"/>.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Key">The genuine key's record (null only for <see cref="ApiKeyVerificationStatus.Unknown"/>).</param>
public sealed record ApiKeyVerification(ApiKeyVerificationStatus Status, ApiKey? Key)
{
    /// <summary>The shared result for any key that is not genuine.</summary>
    public static ApiKeyVerification Unknown { get; } = new(ApiKeyVerificationStatus.Unknown, null);

    /// <summary>Whether the request may proceed.</summary>
    public bool IsValid => Status == ApiKeyVerificationStatus.Valid;

    /// <summary>The HTTP status to answer a failure with: 401 for unknown keys, 403 for genuine but unusable ones (200 when valid).</summary>
    public int HttpStatusCode => Status switch
    {
        ApiKeyVerificationStatus.Valid => 200,
        ApiKeyVerificationStatus.Unknown => 401,
        _ => 403,
    };

    /// <summary>A message for the JSON error body's "detail".</summary>
    public string Detail => Status switch
    {
        ApiKeyVerificationStatus.Valid => "API key is valid",
        ApiKeyVerificationStatus.Unknown => "Invalid or missing API key",
        ApiKeyVerificationStatus.Revoked => "API key has been revoked",
        ApiKeyVerificationStatus.Suspended => "API key is suspended",
        ApiKeyVerificationStatus.Expired => "API key has expired",
        _ => "API key rejected",
    };
}
