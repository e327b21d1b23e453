using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Twilio;

/// <summary>The public URLs of Twilio requests: the one Twilio signed, and the base that audio URLs are built on.</summary>
public static class TwilioWebhookUrl
{
    /// <summary>
    /// The base URL, without a trailing slash: Twilio:PublicBaseUrl when configured, else the request's scheme, host
    /// and path base (right when Twilio reaches the server directly).
    /// </summary>
    public static string Base(HttpRequest request, TwilioOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return options.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
    }

    /// <summary>The full URL of the request as Twilio requested (and signed) it: base, path and the query exactly as received.</summary>
    public static string Of(HttpRequest request, TwilioOptions options) =>
        Base(request, options) + request.Path.ToUriComponent() + request.QueryString.Value;
}
