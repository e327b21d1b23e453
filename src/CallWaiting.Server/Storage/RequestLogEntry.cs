namespace CallWaiting.Server.Storage;

/// <summary>One row of <c>request_logs</c>: what a request did, without its body.</summary>
/// <param name="RequestId">The X-Request-ID.</param>
/// <param name="ApiKeyId">Authenticated key, or null.</param>
/// <param name="TenantId">The key's tenant, or null.</param>
/// <param name="Endpoint">Route, e.g. /v1/tts.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Status">HTTP status sent.</param>
/// <param name="Voice">Voice slug or id, for TTS.</param>
/// <param name="TextLength">Characters of input text, for TTS.</param>
/// <param name="DurationMs">Wall time of the request.</param>
/// <param name="Error">Error detail sent, or null.</param>
/// <param name="Ip">Client address.</param>
/// <param name="UserAgent">Client user agent.</param>
/// <param name="Cached">Whether audio came from the cache.</param>
/// <param name="CreatedAt">When the request arrived.</param>
public sealed record RequestLogEntry(
    string RequestId,
    Guid? ApiKeyId,
    Guid? TenantId,
    string Endpoint,
    string Method,
    int Status,
    string? Voice,
    int? TextLength,
    double DurationMs,
    string? Error,
    string? Ip,
    string? UserAgent,
    bool Cached,
    DateTimeOffset CreatedAt);
