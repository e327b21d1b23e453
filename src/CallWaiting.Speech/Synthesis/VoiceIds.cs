using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Speech.Synthesis;

/// <summary>Stable voice UUIDs: RFC 9562 version-5 (SHA-1, name-based) UUIDs of the voice slug.</summary>
public static class VoiceIds
{
    /// <summary>The namespace every CallWaiting voice slug is hashed in; never change it, or every voice id changes.</summary>
    public static readonly Guid Namespace = new("3c5e1f0a-7d1b-5b8e-9a4c-2f6d8e0b1a47");

    /// <summary>Returns the version-5 UUID of <paramref name="slug"/> in <see cref="Namespace"/>.</summary>
    public static Guid FromSlug(string slug)
    {
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var name = Encoding.UTF8.GetBytes(slug);
        var input = new byte[16 + name.Length];
        ns.CopyTo(input);
        name.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
