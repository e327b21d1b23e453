using System.Text.Json;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>What the engine reads of a Piper voice's <c>NAME.onnx.json</c>.</summary>
/// <param name="SampleRate">audio.sample_rate.</param>
/// <param name="Quality">audio.quality (x_low, low, medium, high), or null.</param>
/// <param name="EspeakVoice">espeak.voice: the espeak-ng voice whose rules give the phonemes.</param>
/// <param name="PhonemeType">phoneme_type: espeak or text.</param>
/// <param name="PhonemeIdMap">phoneme_id_map: each phoneme (one code point) and its ids.</param>
/// <param name="Speakers">speaker_id_map, or speakers 0..num_speakers-1 by number; one unnamed speaker when single-speaker.</param>
/// <param name="NoiseScale">inference.noise_scale.</param>
/// <param name="LengthScale">inference.length_scale.</param>
/// <param name="NoiseW">inference.noise_w.</param>
/// <param name="Language">language.code as BCP-47 ("en-US"), else the espeak voice.</param>
public sealed record PiperConfig(
    int SampleRate,
    string? Quality,
    string EspeakVoice,
    string PhonemeType,
    IReadOnlyDictionary<string, long[]> PhonemeIdMap,
    IReadOnlyList<(string Name, long Id)> Speakers,
    float NoiseScale,
    float LengthScale,
    float NoiseW,
    string Language)
{
    /// <summary>Piper's beginning-of-sentence, padding and end-of-sentence phonemes.</summary>
    public const string Bos = "^", Pad = "_", Eos = "$";

    /// <summary>Whether the graph takes a speaker id.</summary>
    public bool MultiSpeaker => Speakers.Count > 1;

    /// <summary>Reads and checks a config.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not Piper's layout, or a value Piper would not accept; the message says which.</exception>
    public static PiperConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"bad JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("bad JSON: not an object");
            try
            {
                return Read(root);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new InvalidDataException($"not a Piper config: {e.Message}", e);
            }
        }
    }

    private static PiperConfig Read(JsonElement root)
    {
        if (!root.TryGetProperty("phoneme_id_map", out var mapElement) || mapElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("not a Piper config: no phoneme_id_map");
        if (!root.TryGetProperty("audio", out var audio) || !audio.TryGetProperty("sample_rate", out var rateElement))
            throw new InvalidDataException("not a Piper config: no audio.sample_rate");
        var sampleRate = rateElement.GetInt32();
        if (sampleRate is < 8000 or > 192_000) throw new InvalidDataException($"audio.sample_rate {sampleRate} is out of range");

        var phonemeType = String(root, "phoneme_type") ?? "espeak";
        if (phonemeType is not ("espeak" or "text"))
            throw new InvalidDataException($"phoneme_type '{phonemeType}' is not supported (espeak and text are)");
        var espeakVoice = root.TryGetProperty("espeak", out var espeak) ? String(espeak, "voice") : null;
        if (phonemeType == "espeak" && string.IsNullOrWhiteSpace(espeakVoice))
            throw new InvalidDataException("not a Piper config: no espeak.voice");

        var map = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var entry in mapElement.EnumerateObject())
            map[entry.Name] = [.. entry.Value.EnumerateArray().Select(v => v.GetInt64())];
        var missing = new[] { Bos, Pad, Eos }.Where(p => !map.TryGetValue(p, out var ids) || ids.Length == 0).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"phoneme_id_map has no {string.Join(", ", missing.Select(m => $"'{m}'"))}");

        var inference = root.TryGetProperty("inference", out var i) ? i : default;
        var language = root.TryGetProperty("language", out var lang) ? String(lang, "code") : null;
        return new PiperConfig(
            sampleRate,
            String(audio, "quality"),
            espeakVoice ?? "",
            phonemeType,
            map,
            ReadSpeakers(root),
            Number(inference, "noise_scale", 0.667f),
            Number(inference, "length_scale", 1f),
            Number(inference, "noise_w", 0.8f),
            (language ?? espeakVoice ?? "und").Replace('_', '-'));
    }

    private static (string, long)[] ReadSpeakers(JsonElement root)
    {
        var count = root.TryGetProperty("num_speakers", out var n) ? n.GetInt32() : 1;
        if (count is < 1 or > 100_000) throw new InvalidDataException($"num_speakers {count} is out of range");
        if (count == 1) return [("", 0)];
        if (root.TryGetProperty("speaker_id_map", out var names) && names.ValueKind == JsonValueKind.Object && names.EnumerateObject().Any())
        {
            var speakers = names.EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).OrderBy(s => s.Item2).ToArray();
            if (speakers.Any(s => s.Item2 < 0 || s.Item2 >= count))
                throw new InvalidDataException($"speaker_id_map has ids outside 0..{count - 1}");
            return speakers;
        }
        return [.. Enumerable.Range(0, count).Select(s => (s.ToString(System.Globalization.CultureInfo.InvariantCulture), (long)s))];
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static float Number(JsonElement element, string name, float fallback) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetSingle()
            : fallback;
}
