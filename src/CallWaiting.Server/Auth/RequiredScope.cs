using Microsoft.AspNetCore.Builder;

namespace CallWaiting.Server.Auth;

/// <summary>Endpoint metadata: the scope a key needs for the endpoint (none means any valid key).</summary>
/// <param name="Scope">A scope from <see cref="ApiKeys.Scopes"/>.</param>
public sealed record RequiredScope(string Scope);

/// <summary>Declares endpoint scopes.</summary>
public static class RequiredScopeExtensions
{
    /// <summary>Requires <paramref name="scope"/> (admin keys have every scope).</summary>
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder builder, string scope) =>
        builder.WithMetadata(new RequiredScope(scope));
}
