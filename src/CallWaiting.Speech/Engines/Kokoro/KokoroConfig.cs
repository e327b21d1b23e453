using System.Text.Json;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>What the engine reads of a Kokoro model folder's <c>config.json</c>: the vocabulary from IPA symbols to token ids.</summary>
/// <param name="Vocab">vocab: each symbol (one code point) and its token id.</param>
public sealed record KokoroConfig(IReadOnlyDictionary<string, long> Vocab)
{
    /// <summary>Reads and checks a config.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or no usable <c>vocab</c>; the message says which.</exception>
    public static KokoroConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"bad JSON in config.json: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("config.json has no vocab");
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in vocab.EnumerateObject())
            {
                // Token 0 is the pad at both ends; a symbol mapped to it, or a key of several code points, is not Kokoro's vocab.
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt64(out var id) || id <= 0)
                    throw new InvalidDataException($"config.json vocab: '{entry.Name}' is not a positive token id");
                if (entry.Name.EnumerateRunes().Count() != 1)
                    throw new InvalidDataException($"config.json vocab: '{entry.Name}' is not one symbol");
                map[entry.Name] = id;
            }
            if (map.Count == 0) throw new InvalidDataException("config.json vocab is empty");
            return new KokoroConfig(map);
        }
    }
}
