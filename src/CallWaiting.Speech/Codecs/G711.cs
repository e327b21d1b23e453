using System.Numerics;

namespace CallWaiting.Speech.Codecs;

/// <summary>ITU-T G.711 companding of 16-bit linear PCM to 8-bit μ-law and A-law codes.</summary>
/// <remarks>
/// Follows the ITU reference (G.191 STL): μ-law quantizes the top 14 bits, A-law the top 13, and negative
/// samples use the one's complement magnitude so the quantizer is symmetric around zero.
/// </remarks>
public static class G711
{
    private const int MulawBias = 33;
    private const int MulawMaxMagnitude = 8158; // 8158 + 33 = 8191, the top of the last segment.

    /// <summary>Encodes one 16-bit sample to a μ-law code (bits inverted for transmission, 0xFF = +0).</summary>
    public static byte LinearToMulaw(short sample)
    {
        var negative = sample < 0;
        var magnitude = (negative ? ~sample : sample) >> 2;
        var biased = Math.Min(magnitude, MulawMaxMagnitude) + MulawBias;
        // biased lies in [33, 8191]: its top bit (5..12) picks the segment, the next four bits the step.
        var segment = 31 - BitOperations.LeadingZeroCount((uint)biased) - 5;
        var mantissa = (biased >> (segment + 1)) & 0x0F;
        var code = (segment << 4) | mantissa | (negative ? 0x80 : 0);
        return (byte)~code;
    }

    /// <summary>Encodes one 16-bit sample to an A-law code (even bits inverted for transmission, 0xD5 = +0).</summary>
    public static byte LinearToAlaw(short sample)
    {
        var negative = sample < 0;
        var magnitude = (negative ? ~sample : sample) >> 3; // 0..4095
        int code;
        if (magnitude < 32)
        {
            // Segment 0 has no implied leading bit: its 16 steps of 2 map linearly.
            code = magnitude >> 1;
        }
        else
        {
            // magnitude's top bit (5..11) gives segment 1..7; the four bits below it give the step.
            var segment = 31 - BitOperations.LeadingZeroCount((uint)magnitude) - 4;
            code = (segment << 4) | ((magnitude >> segment) & 0x0F);
        }
        return (byte)((code | (negative ? 0 : 0x80)) ^ 0x55);
    }
}
