namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>One Kokoro voice: its model, style pack and the espeak-ng language that phonemizes for it.</summary>
/// <param name="Model">The graph of the voice's folder.</param>
/// <param name="Config">The folder's config (vocabulary).</param>
/// <param name="Pack">The voice's style rows.</param>
/// <param name="EspeakVoice">The espeak-ng voice for its language ("en-us").</param>
public sealed record KokoroVoice(KokoroModel Model, KokoroConfig Config, KokoroVoicePack Pack, string EspeakVoice)
{
    // Kokoro's voice names start with a language letter and a gender letter ("af_heart": American English, female).
    private static readonly Dictionary<char, (string Espeak, string Tag)> Languages = new()
    {
        ['a'] = ("en-us", "en-US"),
        ['b'] = ("en-gb", "en-GB"),
        ['e'] = ("es", "es"),
        ['f'] = ("fr-fr", "fr-FR"),
        ['h'] = ("hi", "hi"),
        ['i'] = ("it", "it"),
        ['p'] = ("pt-br", "pt-BR"),
    };

    /// <summary>The espeak-ng voice and BCP-47 tag for a voice name: from its first letter, American English when it names none.</summary>
    public static (string Espeak, string Tag) LanguageOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 2 && name[2] == '_' && Languages.TryGetValue(char.ToLowerInvariant(name[0]), out var language)
            ? language
            : Languages['a'];
    }

    /// <summary>The gender a voice name's second letter gives (<c>f</c> or <c>m</c>).</summary>
    public static VoiceGender GenderOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 2 && name[2] == '_' ? char.ToLowerInvariant(name[1]) switch
        {
            'f' => VoiceGender.Female,
            'm' => VoiceGender.Male,
            _ => VoiceGender.Neutral,
        } : VoiceGender.Neutral;
    }
}
