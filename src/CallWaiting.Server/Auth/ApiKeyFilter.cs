using CallWaiting.Server.Web;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Auth;

/// <summary>
/// Guards every /v1 endpoint: a key in a header goes through <see cref="ApiKeyAuthenticator"/>; with no key header, a
/// web session cookie counts instead, through <see cref="WebSessionAuthenticator"/> (which asks for its CSRF token).
/// Either way the endpoint's <see cref="RequiredScope"/> is checked last and the key becomes the <see cref="ApiCaller"/>.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyAuthenticator keys, WebSessionAuthenticator sessions) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var refused = await AuthenticateAsync(invocation.HttpContext);
        return refused ?? await next(invocation);
    }

    // Its own async method, so the auth span is over before the endpoint runs: the endpoint's spans sit beside it.
    private ValueTask<IResult?> AuthenticateAsync(HttpContext context)
    {
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope;
        var presented = ApiKeyAuthenticator.PresentedKey(context.Request.Headers);
        return presented is null && WebSessionCookie.IsPresent(context.Request)
            ? sessions.AuthenticateAsync(context, scope)
            : keys.AuthenticateAsync(context, presented, scope);
    }
}
