using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>Builds the espeak voice list: one voice per espeak language voice plus a few English voice variants.</summary>
internal static unsafe class EspeakVoiceCatalog
{
    /// <summary>
    /// English base voices (by espeak language) that also get variant voices, and the variants they get: the "f"
    /// variants give espeak female English voices, which it otherwise lacks.
    /// </summary>
    private static readonly string[] VariantBases = ["en-us", "en-gb"];
    private static readonly string[] Variants = ["f1", "f2", "f3", "f4", "m3"];

    /// <summary>Lists espeak's voices; call under <see cref="EspeakRuntime.Gate"/> after initialization.</summary>
    public static EngineVoice[] Build(int sampleRate, string dataPath)
    {
        var voices = new List<EngineVoice>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var list = EspeakNative.ListVoices(null);
        for (var i = 0; list is not null && list[i] is not null; i++)
        {
            var native = list[i];
            var identifier = Utf8(native->Identifier);
            var language = FirstLanguage(native->Languages);
            if (identifier.Length == 0 || language.Length == 0) continue;

            // Two voices can share a language (yue and yue-Latn-jyutping): the second takes its file name.
            var id = "espeak-" + language.ToLowerInvariant();
            if (!ids.Add(id))
            {
                id = "espeak-" + identifier[(identifier.LastIndexOf('/') + 1)..].ToLowerInvariant();
                if (!ids.Add(id)) continue;
            }
            var name = Utf8(native->Name).Trim();
            var gender = native->Gender == 2 ? VoiceGender.Female : VoiceGender.Male;
            var tag = EspeakLanguageTag.ToBcp47(language);
            var voice = new EngineVoice(id, EspeakSynthesizer.EngineName, identifier, "eSpeak " + name, tag, gender, sampleRate,
                VoiceQuality.Robotic);
            voices.Add(voice);

            if (VariantBases.Contains(language, StringComparer.OrdinalIgnoreCase))
                AddVariants(voice, language.ToLowerInvariant(), dataPath, voices, ids);
        }
        return [.. voices];
    }

    private static void AddVariants(EngineVoice baseVoice, string language, string dataPath, List<EngineVoice> voices, HashSet<string> ids)
    {
        foreach (var variant in Variants)
        {
            // espeak silently ignores an unknown variant, so only offer the ones whose file is installed.
            if (!File.Exists(Path.Combine(dataPath, "voices", "!v", variant))) continue;
            var id = $"espeak-{language}-{variant}";
            if (!ids.Add(id)) continue;
            var gender = variant[0] == 'f' ? VoiceGender.Female : VoiceGender.Male;
            var label = gender == VoiceGender.Female ? "female" : "male";
            voices.Add(baseVoice with
            {
                Id = id,
                NativeName = baseVoice.NativeName + "+" + variant,
                DisplayName = $"{baseVoice.DisplayName}, {label} variant {variant}",
                Gender = gender,
            });
        }
    }

    /// <summary>The first language of espeak's list: a priority byte, then a NUL-terminated name.</summary>
    private static string FirstLanguage(byte* languages) =>
        languages is null || languages[0] == 0 ? "" : Utf8(languages + 1);

    private static string Utf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
