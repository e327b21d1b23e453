using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Twilio;

/// <summary>Twilio webhook settings (configuration section <c>Twilio</c>, e.g. env <c>CALLWAITING_Twilio__AuthToken</c>).</summary>
public sealed class TwilioOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Twilio";

    /// <summary>
    /// The Twilio account's auth token (or webhook SharedKey secret). When set, POST /v1/twilio/voice requires a valid
    /// X-Twilio-Signature and refuses everything else with 403.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// The server's public base URL as Twilio sees it, e.g. https://tts.example.com (a path prefix is allowed). Needed
    /// behind a TLS-terminating proxy: signatures cover the public URL, and audio URLs must point there. Unset means
    /// the scheme and host of the request.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long a signed audio URL from the TwiML endpoint stays playable.</summary>
    public TimeSpan AudioUrlTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (AuthToken is not null && string.IsNullOrWhiteSpace(AuthToken)) yield return "Twilio:AuthToken must not be blank when set.";
        if (PublicBaseUrl is not null
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0))
            yield return "Twilio:PublicBaseUrl must be an absolute http(s) URL without query, fragment or credentials, e.g. https://tts.example.com.";
        if (AudioUrlTtl <= TimeSpan.Zero || AudioUrlTtl > TimeSpan.FromDays(7)) yield return "Twilio:AudioUrlTtl must be positive and at most 7 days.";
    }
}
