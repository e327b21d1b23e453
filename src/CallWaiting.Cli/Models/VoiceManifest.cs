using System.Text.Json;

namespace CallWaiting.Cli.Models;

/// <summary>One file of a model in a repository's listing: its path under the repository's root, size and checksum.</summary>
internal sealed record ManifestFile(string Path, long Size, FileChecksum Checksum);

/// <summary>
/// The repository's <c>voices.json</c>: each voice key (<c>en_US-lessac-medium</c>) with its files
/// (<c>en/en_US/lessac/medium/en_US-lessac-medium.onnx</c> and <c>.onnx.json</c>), their <c>size_bytes</c> and <c>md5_digest</c>.
/// </summary>
internal static class VoiceManifest
{
    /// <summary>The manifest's file name under the base URL.</summary>
    public const string FileName = "voices.json";

    /// <summary>The voice's graph and config files, found by key or alias.</summary>
    /// <exception cref="KeyNotFoundException">The manifest has no such voice.</exception>
    /// <exception cref="InvalidDataException">The manifest, or the voice's entry, is not in the repository's layout.</exception>
    public static (ManifestFile Graph, ManifestFile Config) Find(string json, string key)
    {
        ManifestFile[]? listed;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("voices.json is not an object");
            listed = FindVoice(document.RootElement, key) is { } voice ? Files(voice) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"voices.json is not the repository's manifest: {e.Message}", e);
        }
        if (listed is null) throw new KeyNotFoundException($"the repository's voices.json has no voice '{key}'");
        var graph = listed.FirstOrDefault(f => f.Path.EndsWith(".onnx", StringComparison.Ordinal));
        var config = listed.FirstOrDefault(f => f.Path == graph?.Path + ".json");
        if (graph is null || config is null) throw new InvalidDataException($"voices.json lists no NAME.onnx with its NAME.onnx.json for '{key}'");
        return (graph, config);
    }

    private static ManifestFile[] Files(JsonElement voice) =>
        [.. voice.GetProperty("files").EnumerateObject().Select(f => new ManifestFile(f.Name, f.Value.GetProperty("size_bytes").GetInt64(),
            new FileChecksum(ChecksumKind.Md5, f.Value.GetProperty("md5_digest").GetString() ?? "")))];

    private static JsonElement? FindVoice(JsonElement root, string key)
    {
        if (root.TryGetProperty(key, out var voice)) return voice;
        foreach (var entry in root.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("aliases", out var aliases)
                && aliases.ValueKind == JsonValueKind.Array && aliases.EnumerateArray().Any(a => a.GetString() == key))
                return entry.Value;
        }
        return null;
    }
}
