using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// Reads a numpy <c>.npy</c> array of little-endian float32 in C order (what <c>numpy.save</c> writes): the magic,
/// a version, a header length and a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.
/// </summary>
public static partial class NpyArray
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The array's shape and values.</summary>
    /// <exception cref="InvalidDataException">Not an .npy file, not float32 little-endian in C order, or its data is short.</exception>
    public static (int[] Shape, float[] Values) ReadFloat32(ReadOnlySpan<byte> file)
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic)) throw new InvalidDataException("not a numpy .npy array");
        var major = file[6];
        int headerLength, start;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
            start = 10;
        }
        else if (major is 2 or 3 && file.Length >= 12)
        {
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(file[8..]));
            start = 12;
        }
        else
        {
            throw new InvalidDataException($"numpy .npy version {major} is not supported");
        }
        if (start + headerLength > file.Length) throw new InvalidDataException("numpy .npy header is cut short");
        var header = Encoding.Latin1.GetString(file.Slice(start, headerLength));
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value != "<f4")
            throw new InvalidDataException($"numpy array is not little-endian float32 ({(descr.Success ? descr.Groups[1].Value : "no descr")})");
        if (!FortranPattern().IsMatch(header)) throw new InvalidDataException("numpy array is in Fortran order");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException("numpy header has no shape");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var data = file[(start + headerLength)..];
        if (data.Length != count * sizeof(float))
            throw new InvalidDataException($"numpy array of shape ({string.Join(", ", shape)}) has {data.Length} bytes of data, not {count * sizeof(float)}");
        var values = new float[count];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * sizeof(float))..]);
        return (shape, values);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*False")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
