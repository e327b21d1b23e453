using System.Net.Http.Headers;
using System.Text;
using CallWaiting.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallWaiting.Server.Twilio;

/// <summary>
/// Twilio cannot send custom headers, but it sends HTTP Basic credentials written into the webhook URL
/// (https://twilio:cw_live_…@host/v1/twilio/voice). This filter hands the password (or, if empty, the user name) to
/// <see cref="ApiKeyFilter"/> as the x-api-key header, and adds the WWW-Authenticate challenge to a 401, which is
/// what makes Twilio retry with the credentials.
/// </summary>
public sealed class TwilioBasicAuthFilter : IEndpointFilter
{
    /// <summary>The challenge sent with 401.</summary>
    public const string Challenge = "Basic realm=\"CallWaiting\", charset=\"UTF-8\"";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var headers = context.Request.Headers;
        if (ApiKeyAuthenticator.PresentedKey(headers) is null && BasicSecret(headers.Authorization.ToString()) is { } key)
            headers["x-api-key"] = key;

        var result = await next(invocation);
        if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status401Unauthorized })
            context.Response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
        return result;
    }

    private static string? BasicSecret(string authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return null;
        var bytes = new byte[header.Parameter.Length];
        if (!Convert.TryFromBase64String(header.Parameter, bytes, out var length)) return null;
        var pair = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = pair.IndexOf(':');
        var secret = colon < 0 ? pair : pair[(colon + 1)..];
        return secret.Length > 0 ? secret : colon > 0 ? pair[..colon] : null;
    }
}
