using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Web;

/// <summary>The web pages' settings (configuration section <c>Web</c>, e.g. env <c>CALLWAITING_Web__SessionLifetime=04:00:00</c>).</summary>
public sealed class WebOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Web";

    /// <summary>
    /// How long a web session lasts from its login, whatever happens meanwhile (absolute, not sliding): the pages then
    /// ask for the key again. Sessions are signed with <c>Realtime:SigningSecret</c>, so they work on every replica.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(30))
            yield return "Web:SessionLifetime must be between one minute and 30 days.";
    }
}
