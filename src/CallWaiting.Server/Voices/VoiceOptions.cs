using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Voices;

/// <summary>Voice settings of the server (configuration section <c>Voices</c>).</summary>
public sealed class VoiceOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Voices";

    /// <summary>
    /// A public catalog voice to speak in place of a voice whose engine is not loaded here or fails, by slug
    /// (<c>CALLWAITING_Voices__Fallbacks__piper-en-us-lessac-medium=emily-en-us</c>); one level, never a chain.
    /// </summary>
    public Dictionary<string, string> Fallbacks { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        foreach (var (voice, fallback) in Fallbacks)
        {
            if (string.IsNullOrWhiteSpace(fallback)) yield return $"Voices:Fallbacks:{voice} must name a voice.";
            else if (string.Equals(voice, fallback.Trim(), StringComparison.Ordinal)) yield return $"Voices:Fallbacks:{voice} cannot name the voice itself.";
        }
    }
}
