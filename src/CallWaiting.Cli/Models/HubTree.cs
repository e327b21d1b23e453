using System.Text.Json;

namespace CallWaiting.Cli.Models;

/// <summary>
/// A Hugging Face repository's file listing, <c>GET HUB/api/models/REPO/tree/REVISION?recursive=true</c>: a JSON array
/// whose file entries give <c>path</c>, <c>size</c> and, for LFS files, <c>lfs.oid</c> (the content's SHA-256), else
/// <c>oid</c> (the git blob id).
/// </summary>
internal static class HubTree
{
    /// <summary>The listing's path under the hub URL.</summary>
    public static string ListingPath(string repository, string revision) => $"api/models/{repository}/tree/{revision}?recursive=true";

    /// <summary>Where a listed file is downloaded from, under the hub URL.</summary>
    public static string FilePath(string repository, string revision, string path) => $"{repository}/resolve/{revision}/{path}";

    /// <summary>Every file of the listing (directories left out).</summary>
    /// <exception cref="InvalidDataException">The answer is not such a listing.</exception>
    public static IReadOnlyList<ManifestFile> Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException("the listing is not a JSON array");
            return [.. document.RootElement.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "file").Select(Entry)];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"not a Hugging Face file listing: {e.Message}", e);
        }
    }

    private static ManifestFile Entry(JsonElement entry)
    {
        var path = entry.GetProperty("path").GetString() ?? throw new InvalidDataException("a file without a path");
        var checksum = entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object
            ? new FileChecksum(ChecksumKind.Sha256, lfs.GetProperty("oid").GetString() ?? "")
            : new FileChecksum(ChecksumKind.GitBlobSha1, entry.GetProperty("oid").GetString() ?? "");
        if (checksum.Hex.Length == 0 || !checksum.Hex.All(Uri.IsHexDigit)) throw new InvalidDataException($"{path} has no checksum");
        return new ManifestFile(path, entry.GetProperty("size").GetInt64(), checksum);
    }
}
