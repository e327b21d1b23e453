using System.Globalization;
using System.Security.Cryptography;

namespace CallWaiting.Cli.Models;

/// <summary>How a listed file's checksum is computed.</summary>
internal enum ChecksumKind
{
    /// <summary>MD5 of the content (Piper's <c>voices.json</c>).</summary>
    Md5,

    /// <summary>SHA-256 of the content (a Hugging Face LFS file's <c>lfs.oid</c>).</summary>
    Sha256,

    /// <summary>Git's blob id, SHA-1 of <c>blob SIZE\0</c> and the content (a small file Hugging Face keeps in git: its <c>oid</c>).</summary>
    GitBlobSha1,
}

/// <summary>A file's expected checksum as a repository lists it, in hex.</summary>
internal sealed record FileChecksum(ChecksumKind Kind, string Hex)
{
    /// <summary>The checksum's name in messages.</summary>
    public string Name => Kind switch
    {
        ChecksumKind.Md5 => "MD5",
        ChecksumKind.Sha256 => "SHA-256",
        _ => "git blob SHA-1",
    };

    /// <summary>The checksum of the file at <paramref name="path"/>, computed the same way, in lowercase hex.</summary>
    public string Of(string path)
    {
        using var file = File.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(Kind switch
        {
            ChecksumKind.Md5 => HashAlgorithmName.MD5,
            ChecksumKind.Sha256 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA1,
        });
        if (Kind == ChecksumKind.GitBlobSha1) hash.AppendData(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {file.Length}\0")));
        var buffer = new byte[1 << 16];
        int read;
        while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="actual"/> (from <see cref="Of"/>) is this checksum.</summary>
    public bool Matches(string actual) => actual.Equals(Hex, StringComparison.OrdinalIgnoreCase);
}
