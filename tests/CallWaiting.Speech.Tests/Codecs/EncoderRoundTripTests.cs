using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>Every encoder, streamed in irregular blocks, decoded by sox/opusdec and measured.</summary>
public sealed class EncoderRoundTripTests
{
    private static readonly int[] Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    public static TheoryData<AudioFormat, int> FormatsAndRates()
    {
        var data = new TheoryData<AudioFormat, int>();
        foreach (var format in AudioFormats.All)
        {
            foreach (var rate in Rates)
            {
                if (AudioFormats.IsSupportedSampleRate(format, rate)) data.Add(format, rate);
            }
        }
        return data;
    }

    public static TheoryData<AudioFormat> Formats() => [.. AudioFormats.All];

    [Theory]
    [MemberData(nameof(FormatsAndRates))]
    public void Sine_survives_the_round_trip(AudioFormat format, int rate)
    {
        var input = Signals.Sine(1000, rate, 1.0);
        using var encoder = AudioEncoder.Create(format, rate);

        var streamed = Streaming.EncodeInIrregularBlocks(encoder, input);
        var decoded = Sox.Decode(streamed.Bytes, format, rate);

        Assert.Equal(format == AudioFormat.Opus ? 48000 : rate, decoded.SampleRate);
        AssertDuration(format, encoder, input.Length, rate, decoded);
        // The middle half: MP3's leading delay and trailing padding are silence that would dilute the level.
        var middle = decoded.Samples.AsSpan(decoded.Samples.Length / 4, decoded.Samples.Length / 2);
        Assert.InRange(Measure.Rms(middle), 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
        Assert.InRange(Measure.ZeroCrossingFrequency(decoded.Samples, decoded.SampleRate), 980, 1020);
        Assert.True(streamed.BytesBeforeComplete > 0, "Nothing was emitted before Complete.");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Content_streamed_in_irregular_blocks_keeps_length_level_and_tones(AudioFormat format)
    {
        var rate = AudioFormats.NearestSupportedSampleRate(format, 24000);
        var input = Signals.ChirpWithTones(rate, 0.4);
        using var encoder = AudioEncoder.Create(format, rate);

        var streamed = Streaming.EncodeInIrregularBlocks(encoder, input, seed: 7);
        var decoded = Sox.Decode(streamed.Bytes, format, rate);

        AssertDuration(format, encoder, input.Length, rate, decoded);
        var inputRms = Measure.Rms(input);
        Assert.InRange(Measure.Rms(decoded.Samples), inputRms * 0.8, inputRms * 1.2);
        // The steady tones must stand out from a frequency that is not in the signal.
        var absent = Measure.TonePower(decoded.Samples, decoded.SampleRate, 3500);
        Assert.True(Measure.TonePower(decoded.Samples, decoded.SampleRate, 440) > 100 * absent);
        Assert.True(Measure.TonePower(decoded.Samples, decoded.SampleRate, 1250) > 100 * absent);
    }

    [Theory]
    [InlineData(AudioFormat.Wav)]
    [InlineData(AudioFormat.Pcm16)]
    [InlineData(AudioFormat.Flac)]
    public void Lossless_formats_decode_to_exactly_the_pcm16_input(AudioFormat format)
    {
        const int rate = 22050;
        var input = Signals.ChirpWithTones(rate, 0.4);
        var expected = new short[input.Length];
        Pcm.FloatToPcm16(input, expected);
        using var encoder = AudioEncoder.Create(format, rate);

        var streamed = Streaming.EncodeInIrregularBlocks(encoder, input, seed: 3);
        var decoded = Sox.Decode(streamed.Bytes, format, rate);

        Assert.Equal(expected, decoded.Samples);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Chunking_does_not_change_the_bytes(AudioFormat format)
    {
        var rate = AudioFormats.NearestSupportedSampleRate(format, 16000);
        var input = Signals.ChirpWithTones(rate, 0.7);
        var options = new AudioEncoderOptions { OggSerialNumber = 0x5EED };

        var whole = AudioEncoder.Encode(format, rate, input, options);
        using var first = AudioEncoder.Create(format, rate, options);
        using var second = AudioEncoder.Create(format, rate, options);
        var streamedA = Streaming.EncodeInIrregularBlocks(first, input, seed: 11);
        var streamedB = Streaming.EncodeInIrregularBlocks(second, input, seed: 12);

        Assert.Equal(whole, streamedA.Bytes);
        Assert.Equal(whole, streamedB.Bytes);
        Assert.Equal(whole, AudioEncoder.Encode(format, rate, input, options));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Long_input_in_large_blocks_decodes_to_full_length(AudioFormat format)
    {
        var rate = AudioFormats.NearestSupportedSampleRate(format, 24000);
        var input = Signals.Sine(1000, rate, 20.0, amplitude: 0.3);
        using var encoder = AudioEncoder.Create(format, rate);
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        // 100 000-sample writes exercise the encoders' internal blocking.
        for (var offset = 0; offset < input.Length; offset += 100_000)
        {
            encoder.Write(input.AsSpan(offset, Math.Min(100_000, input.Length - offset)), output);
        }
        encoder.Complete(output);
        var decoded = Sox.Decode(output.WrittenSpan.ToArray(), format, rate);

        AssertDuration(format, encoder, input.Length, rate, decoded);
        Assert.InRange(Measure.ZeroCrossingFrequency(decoded.Samples, decoded.SampleRate), 980, 1020);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Non_finite_and_out_of_range_samples_are_survived(AudioFormat format)
    {
        var rate = AudioFormats.NearestSupportedSampleRate(format, 16000);
        var input = Signals.Sine(1000, rate, 1.0);
        float[] bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 5f, -5f, 1e30f];
        for (var i = 0; i < bad.Length; i++) input[1000 + 997 * i] = bad[i];
        using var encoder = AudioEncoder.Create(format, rate);

        var streamed = Streaming.EncodeInIrregularBlocks(encoder, input);
        var decoded = Sox.Decode(streamed.Bytes, format, rate);

        AssertDuration(format, encoder, input.Length, rate, decoded);
        var tail = decoded.Samples.AsSpan(decoded.Samples.Length / 2, decoded.Samples.Length / 4);
        Assert.InRange(Measure.Rms(tail), 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
        Assert.InRange(Measure.ZeroCrossingFrequency(tail, decoded.SampleRate), 980, 1020);
    }

    /// <summary>
    /// Exact length for every format but MP3: without a LAME tag (impossible when streaming) decoders keep the
    /// encoder delay and pad to whole frames, so MP3 may only be longer, by at most the delay plus two frames.
    /// </summary>
    internal static void AssertDuration(AudioFormat format, AudioEncoder encoder, int inputSamples, int rate, Decoded decoded)
    {
        var expectedSeconds = (double)inputSamples / rate;
        if (format == AudioFormat.Mp3)
        {
            var mp3 = (Mp3Encoder)encoder;
            var extra = decoded.Samples.Length - inputSamples;
            Assert.InRange(extra, 0, mp3.EncoderDelay + 2 * mp3.FrameSize);
            return;
        }
        Assert.InRange(decoded.Seconds, expectedSeconds * 0.98, expectedSeconds * 1.02);
        var expectedSamples = (long)inputSamples * decoded.SampleRate / rate;
        Assert.Equal(expectedSamples, decoded.Samples.Length);
    }
}
