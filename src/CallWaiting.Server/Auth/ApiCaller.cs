using CallWaiting.Server.ApiKeys;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Auth;

/// <summary>The authenticated API key of a request (an HTTP feature set by <see cref="ApiKeyFilter"/>).</summary>
/// <param name="Key">The verified key.</param>
public sealed record ApiCaller(ApiKey Key)
{
    /// <summary>The caller of a request that passed <see cref="ApiKeyFilter"/>.</summary>
    public static ApiCaller Of(HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The endpoint ran without API key authentication.");
}
