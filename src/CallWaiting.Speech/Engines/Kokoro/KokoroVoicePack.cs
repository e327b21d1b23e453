using System.IO.Compression;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// One Kokoro voice's style pack: [510,1,256] float32, one 256-value style row per phoneme-token count. Read from a raw
/// <c>voices/NAME.bin</c> (522,240 bytes) or from <c>NAME.npy</c> inside a <c>voices.npz</c> archive.
/// </summary>
public sealed class KokoroVoicePack
{
    /// <summary>Rows in a pack: one per token count 0..509.</summary>
    public const int Rows = 510;

    /// <summary>Values in one style row.</summary>
    public const int Width = 256;

    /// <summary>Bytes in a raw <c>.bin</c> pack.</summary>
    public const int ByteLength = Rows * Width * sizeof(float);

    private readonly float[] _values;

    private KokoroVoicePack(string name, float[] values)
    {
        Name = name;
        _values = values;
    }

    /// <summary>The voice's name ("af_heart"): the file stem or the archive entry's.</summary>
    public string Name { get; }

    /// <summary>The style row for a chunk of <paramref name="tokens"/> phoneme tokens (not counting the pads).</summary>
    public ReadOnlyMemory<float> Row(int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(tokens, Rows);
        return _values.AsMemory(tokens * Width, Width);
    }

    /// <summary>Reads a raw little-endian float32 pack.</summary>
    /// <exception cref="InvalidDataException">The file is not 522,240 bytes.</exception>
    public static KokoroVoicePack FromBin(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != ByteLength)
            throw new InvalidDataException($"{Path.GetFileName(path)} is {bytes.Length} bytes, not {ByteLength} (a [{Rows},1,{Width}] float32 style pack)");
        var values = new float[Rows * Width];
        // The packs are little-endian, as is every platform .NET runs this server on.
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        return new KokoroVoicePack(Path.GetFileNameWithoutExtension(path), values);
    }

    /// <summary>Reads every <c>NAME.npy</c> in a numpy <c>.npz</c> archive (stored or deflated) as a pack.</summary>
    /// <exception cref="InvalidDataException">Not a zip archive, or an array that is not [510,1,256] float32.</exception>
    public static IReadOnlyList<KokoroVoicePack> FromNpz(string path)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a numpy .npz archive: {e.Message}", e);
        }
        using (archive)
        {
            var packs = new List<KokoroVoicePack>();
            foreach (var entry in archive.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(entry.Name);
                if (entry.Length > ByteLength + 65_536) throw new InvalidDataException($"{Path.GetFileName(path)}: {entry.Name} is too large for a style pack");
                using var stream = entry.Open();
                using var buffer = new MemoryStream((int)entry.Length);
                stream.CopyTo(buffer);
                (int[] Shape, float[] Values) array;
                try
                {
                    array = NpyArray.ReadFloat32(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{Path.GetFileName(path)}: {entry.Name}: {e.Message}", e);
                }
                if (!array.Shape.SequenceEqual([Rows, 1, Width]))
                    throw new InvalidDataException($"{Path.GetFileName(path)}: {entry.Name} has shape ({string.Join(", ", array.Shape)}), not ({Rows}, 1, {Width})");
                packs.Add(new KokoroVoicePack(name, array.Values));
            }
            return packs;
        }
    }
}
