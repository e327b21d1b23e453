using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Authenticates a request by the API key a verified signed token names (WebSocket tokens, Twilio audio URLs, web
/// sessions): the key must still exist for the token's tenant, be active and unexpired, and its tenant active; then
/// <see cref="ApiKeyAdmission"/> applies the rules every key meets (its own minute/day limits, allowed origins, the
/// scope) and sets the <see cref="ApiCaller"/>. The token proves possession of the key when it was minted; the key's
/// current state is read here because it may have been revoked since.
/// </summary>
public sealed class TokenCallerAuthenticator(ApiKeyRepository keys, ApiKeyAdmission admission)
{
    /// <summary>Null when the caller may proceed (a null scope: any usable key); otherwise the JSON error to answer (403, 429 or 503).</summary>
    public async ValueTask<IResult?> AuthenticateAsync(HttpContext context, Guid keyId, Guid tenantId, string? scope, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ApiKey? key;
        try
        {
            key = await keys.GetForAuthenticationAsync(keyId, context.RequestAborted);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiKeyAdmission.Fail(context, StatusCodes.Status503ServiceUnavailable, "auth_unavailable", "API keys cannot be checked right now; retry shortly.");
        }

        if (key is null || key.TenantId != tenantId)
            return ApiKeyAdmission.Fail(context, StatusCodes.Status403Forbidden, "api_key_unknown", "The API key behind this token no longer exists.");
        if (key.UsabilityAt(now) is var usability && usability != ApiKeyVerificationStatus.Valid)
        {
            var state = usability.ToString().ToLowerInvariant();
            return ApiKeyAdmission.Fail(context, StatusCodes.Status403Forbidden, "api_key_" + state, $"The API key behind this token is {state}.");
        }

        return await admission.AdmitAsync(context, key, scope);
    }
}
