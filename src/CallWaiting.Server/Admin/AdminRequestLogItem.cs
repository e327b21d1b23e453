using System.Text.Json.Serialization;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Admin;

/// <summary>One logged request in GET /v1/admin/requests.</summary>
/// <param name="RequestId">The X-Request-ID it was answered with.</param>
/// <param name="CreatedAt">When it arrived.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Endpoint">Route, e.g. /v1/tts.</param>
/// <param name="Status">HTTP status sent.</param>
/// <param name="DurationMs">Wall time in milliseconds.</param>
/// <param name="ApiKeyId">The key, null when none was valid.</param>
/// <param name="TenantId">The key's tenant.</param>
/// <param name="Voice">Voice asked for.</param>
/// <param name="TextLength">Characters of text.</param>
/// <param name="Cached">Whether the audio came from the cache.</param>
/// <param name="Error">The error detail sent.</param>
/// <param name="Ip">Client address.</param>
/// <param name="UserAgent">Client user agent.</param>
public sealed record AdminRequestLogItem(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("duration_ms")] double DurationMs,
    [property: JsonPropertyName("api_key_id")] Guid? ApiKeyId,
    [property: JsonPropertyName("tenant_id")] Guid? TenantId,
    [property: JsonPropertyName("voice")] string? Voice,
    [property: JsonPropertyName("text_length")] int? TextLength,
    [property: JsonPropertyName("cached")] bool Cached,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("user_agent")] string? UserAgent)
{
    /// <summary>The item for a stored entry.</summary>
    public static AdminRequestLogItem From(RequestLogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.RequestId, e.CreatedAt, e.Method, e.Endpoint, e.Status, Math.Round(e.DurationMs, 2), e.ApiKeyId, e.TenantId,
            e.Voice, e.TextLength, e.Cached, e.Error, e.Ip, e.UserAgent);
    }
}
