using System.Security.Cryptography;
using System.Text.Json;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// What the engine reads of a Kokoro model folder: the vocabulary from IPA symbols to token ids, from
/// <c>config.json</c>'s <c>vocab</c> (hexgrad's layout) or else <c>tokenizer.json</c>'s <c>model.vocab</c>
/// (onnx-community's, whose config.json names only the model type).
/// </summary>
/// <param name="Vocab">vocab: each symbol (one code point) and its token id.</param>
public sealed record KokoroConfig(IReadOnlyDictionary<string, long> Vocab)
{
    /// <summary>The files the vocabulary is read from.</summary>
    public const string ConfigFile = "config.json", TokenizerFile = "tokenizer.json";

    /// <summary>Reads and checks a config.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or no usable <c>vocab</c>; the message says which.</exception>
    public static KokoroConfig Parse(string json) =>
        Read(json, ConfigFile, root => root.TryGetProperty("vocab", out var vocab) ? vocab : (JsonElement?)null, pad: false)
        ?? throw new InvalidDataException("config.json has no vocab");

    /// <summary>Reads the folder's vocabulary, and a short hash of the files it came from (for cache keys).</summary>
    /// <exception cref="InvalidDataException">Neither file holds a usable vocabulary; the message says why.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static async Task<(KokoroConfig Config, string Hash)> ReadAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var configBytes = await File.ReadAllBytesAsync(Path.Combine(folder, ConfigFile), cancellationToken).ConfigureAwait(false);
        var config = Read(System.Text.Encoding.UTF8.GetString(configBytes), ConfigFile,
            root => root.TryGetProperty("vocab", out var vocab) ? vocab : (JsonElement?)null, pad: false);
        if (config is not null) return (config, Hash(configBytes));

        var tokenizerPath = Path.Combine(folder, TokenizerFile);
        if (!File.Exists(tokenizerPath)) throw new InvalidDataException("config.json has no vocab, and there is no tokenizer.json beside it");
        var tokenizerBytes = await File.ReadAllBytesAsync(tokenizerPath, cancellationToken).ConfigureAwait(false);
        config = Read(System.Text.Encoding.UTF8.GetString(tokenizerBytes), TokenizerFile,
            root => root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object && model.TryGetProperty("vocab", out var vocab) ? vocab : (JsonElement?)null,
            pad: true) ?? throw new InvalidDataException("config.json has no vocab, nor has tokenizer.json a model.vocab");
        return (config, Hash([.. configBytes, .. tokenizerBytes]));
    }

    // pad: the tokenizer lists its pad symbol ($) as token 0, which the engine adds itself; config.json has no pad entry.
    private static KokoroConfig? Read(string json, string file, Func<JsonElement, JsonElement?> vocabOf, bool pad)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"bad JSON in {file}: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || vocabOf(root) is not { ValueKind: JsonValueKind.Object } vocab) return null;
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in vocab.EnumerateObject())
            {
                if (pad && entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt64(out var padId) && padId == 0) continue;
                // Token 0 is the pad at both ends; a symbol mapped to it, or a key of several code points, is not Kokoro's vocab.
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt64(out var id) || id <= 0)
                    throw new InvalidDataException($"{file} vocab: '{entry.Name}' is not a positive token id");
                if (entry.Name.EnumerateRunes().Count() != 1)
                    throw new InvalidDataException($"{file} vocab: '{entry.Name}' is not one symbol");
                map[entry.Name] = id;
            }
            if (map.Count == 0) throw new InvalidDataException($"{file} vocab is empty");
            return new KokoroConfig(map);
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
}
