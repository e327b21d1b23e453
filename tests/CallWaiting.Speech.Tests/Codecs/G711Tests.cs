using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>G.711 companding checked against sox's independent μ-law/A-law decoder over every 16-bit input.</summary>
public sealed class G711Tests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData((short)0, (byte)0xFF)]
    [InlineData((short)-1, (byte)0x7F)]
    [InlineData(short.MaxValue, (byte)0x80)]
    [InlineData(short.MinValue, (byte)0x00)]
    public void Mulaw_reference_codes(short sample, byte code) => Assert.Equal(code, G711.LinearToMulaw(sample));

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-1, (byte)0x55)]
    [InlineData(short.MaxValue, (byte)0xAA)]
    [InlineData(short.MinValue, (byte)0x2A)]
    public void Alaw_reference_codes(short sample, byte code) => Assert.Equal(code, G711.LinearToAlaw(sample));

    [Theory]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Every_16_bit_input_decodes_close_to_itself_and_monotonically(AudioFormat format)
    {
        var codes = new byte[65536];
        for (var i = 0; i < codes.Length; i++)
        {
            var sample = (short)(i + short.MinValue);
            codes[i] = format == AudioFormat.Mulaw ? G711.LinearToMulaw(sample) : G711.LinearToAlaw(sample);
        }

        var decoded = Sox.Decode(codes, format, 8000).Samples;

        Assert.Equal(codes.Length, decoded.Length);
        var previous = short.MinValue;
        for (var i = 0; i < codes.Length; i++)
        {
            var sample = i + short.MinValue;
            // Logarithmic quantization: the error grows with the level (about 1/32 of it, 1/16 at the clip point).
            var bound = Math.Max(24, Math.Abs(sample) / 16);
            Assert.True(Math.Abs(decoded[i] - sample) <= bound, $"{sample} decoded as {decoded[i]}");
            Assert.True(decoded[i] >= previous, $"Not monotonic at {sample}");
            previous = decoded[i];
        }
        // Every one of the 256 codes is reachable, both zeros included.
        Assert.Equal(256, codes.Distinct().Count());
    }

    [Theory]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Sox_stat_sees_the_sine_level_and_length(AudioFormat format)
    {
        var input = Signals.Sine(1000, 8000, 2.0, amplitude: 0.7);
        var path = _files.Save(AudioEncoder.Encode(format, 8000, input), format);

        var stat = Sox.Stat(path, format, 8000);

        Assert.Equal(16000, stat.SamplesRead);
        Assert.Equal(2.0, stat.Seconds, 3);
        Assert.InRange(stat.RmsAmplitude, 0.7 / Math.Sqrt(2) * 0.97, 0.7 / Math.Sqrt(2) * 1.03);
        Assert.InRange(stat.MaximumAmplitude, 0.68, 0.72);
    }

    [Theory]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Signal_to_noise_ratio_of_a_sine_meets_telephony_quality(AudioFormat format)
    {
        var input = Signals.Sine(1020, 8000, 1.0, amplitude: 0.5);
        var decoded = Sox.Decode(AudioEncoder.Encode(format, 8000, input), format, 8000).Samples;

        double signal = 0, noise = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var reference = input[i] * 32767.0;
            signal += reference * reference;
            noise += (decoded[i] - reference) * (decoded[i] - reference);
        }
        // G.711 gives about 38 dB SNR for a sine well above the bottom segments.
        Assert.True(10 * Math.Log10(signal / noise) > 33, $"SNR {10 * Math.Log10(signal / noise):F1} dB");
    }
}
