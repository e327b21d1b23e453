using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Authenticates the WebSocket upgrade: an API key header goes through <see cref="ApiKeyFilter"/> unchanged; otherwise a
/// <c>?token=</c> from POST /v1/auth/ws-token is checked under the same per-IP and failed-authentication limits, and
/// the key it names must still be usable (<see cref="TokenCallerAuthenticator"/>). Missing, forged and expired
/// tokens get 401, since the credential itself is no good.
/// </summary>
public sealed class RealtimeAuthFilter(
    ApiKeyFilter keyFilter, ApiKeyAuthenticator keys, WsTokens tokens, TokenCallerAuthenticator authenticator, TimeProvider time)
    : IEndpointFilter
{
    /// <summary>The query parameter that carries a WebSocket token.</summary>
    public const string TokenParameter = "token";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var token = context.Request.Query[TokenParameter];
        if (StringValues.IsNullOrEmpty(token) || ApiKeyAuthenticator.PresentedKey(context.Request.Headers) is not null)
            return await keyFilter.InvokeAsync(invocation, next);

        var ct = context.RequestAborted;
        var ip = ClientAddress.Of(context);
        var (perIp, failures) = await keys.CheckAddressAsync(ip, ct);
        if (!perIp.Allowed) return ApiKeyAuthenticator.Refuse(context, perIp);
        if (!failures.Allowed) return keys.RefuseFailedAuth(context, failures);

        var check = tokens.Verify(token.ToString(), out var claims);
        if (check != TokenCheck.Valid)
        {
            await keys.CountFailureAsync(ip, ct);
            return check == TokenCheck.Expired
                ? Fail(context, StatusCodes.Status401Unauthorized, "token_expired", "The WebSocket token has expired; request a new one from POST /v1/auth/ws-token.")
                : Fail(context, StatusCodes.Status401Unauthorized, "invalid_token", "The WebSocket token is not valid.");
        }

        var refused = await authenticator.AuthenticateAsync(context, claims!.KeyId, claims.TenantId, Scopes.TtsWrite, time.GetUtcNow());
        return refused ?? await next(invocation);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail) => ApiKeyAdmission.Fail(context, status, code, detail);
}
