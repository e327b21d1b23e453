using System.Buffers;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>
/// <see cref="AudioEncoder.Flush"/>: everything written comes out at once, the stream stays one valid stream across
/// flushes, and the padding is bounded; decoded by sox (MP3) and opusdec (Opus) as independent decoders.
/// </summary>
public sealed class EncoderFlushTests : IDisposable
{
    private const float Loud = 0.05f;

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<AudioFormat, int> Lossy() => new()
    {
        { AudioFormat.Mp3, 24000 },
        { AudioFormat.Mp3, 44100 },
        { AudioFormat.Mp3, 8000 },
        { AudioFormat.Opus, 48000 },
        { AudioFormat.Opus, 24000 },
        { AudioFormat.Opus, 8000 },
    };

    [Theory]
    [MemberData(nameof(Lossy))]
    public void A_flush_emits_every_sample_written_so_far_as_decodable_audio(AudioFormat format, int rate)
    {
        // An odd length, so that the last frame is partial.
        var a = Signals.Sine(440, rate, 0.713);
        using var encoder = AudioEncoder.Create(format, rate);
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(a, output);
        encoder.Flush(output);

        // Only what has been emitted so far (no end-of-stream yet) is decoded: the whole tone must be in it.
        var decoded = Decode(output.WrittenSpan.ToArray(), format, rate);
        var (first, last) = LoudExtent(decoded.Samples);
        var toneSeconds = (double)(last - first + 1) / decoded.SampleRate;
        Assert.InRange(toneSeconds, 0.713 - 0.003, 0.713 + 0.01);
    }

    [Theory]
    [MemberData(nameof(Lossy))]
    public void Write_flush_write_complete_is_one_stream_with_both_tones_and_bounded_padding(AudioFormat format, int rate)
    {
        var a = Signals.Sine(440, rate, 0.6);
        var b = Signals.Sine(1000, rate, 0.5);
        using var encoder = AudioEncoder.Create(format, rate);
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(a, output);
        encoder.Flush(output);
        var padding = encoder.PaddingSamples;
        encoder.Write(b, output);
        encoder.Complete(output);
        var bytes = output.WrittenSpan.ToArray();

        Assert.InRange(padding, 1, MaxPaddingPerFlush(encoder));
        var path = _files.Save(bytes, format);
        if (format == AudioFormat.Opus)
        {
            OggOpusTests.AssertOpusinfoClean(path);
        }
        else
        {
            var stat = Sox.Stat(path);
            Assert.Equal(rate, stat.SampleRate);
        }

        var decoded = Decode(bytes, format, rate);
        var scale = (double)decoded.SampleRate / rate;
        var written = a.Length + padding + b.Length;
        if (format == AudioFormat.Opus)
        {
            // The end-of-stream granule trims the stream to exactly what went in, padding included.
            Assert.Equal((long)(written * scale), decoded.Samples.Length);
        }
        else
        {
            // mpglib keeps LAME's 576-sample encoder delay; lame_encode_flush pads at least 576 and less than a frame more.
            var frame = ((Mp3Encoder)encoder).FrameSize;
            Assert.InRange(decoded.Samples.Length, written + 576, written + 576 + 576 + frame);
            // sox (libmad) decodes every frame but the last one.
            Assert.InRange(Sox.Stat(path).SamplesRead, written, written + 576 + 576);
        }

        // Each tone is where it was written, at its own frequency, with silence between them.
        var (first, _) = LoudExtent(decoded.Samples);
        var toneA = decoded.Samples.AsSpan(first, (int)(a.Length * scale));
        var startB = first + (int)((a.Length + padding) * scale);
        var toneB = decoded.Samples.AsSpan(startB, Math.Min((int)(b.Length * scale), decoded.Samples.Length - startB));
        Assert.InRange(Measure.ZeroCrossingFrequency(toneA, decoded.SampleRate), 440 * 0.99, 440 * 1.01);
        Assert.InRange(Measure.ZeroCrossingFrequency(toneB, decoded.SampleRate), 1000 * 0.99, 1000 * 1.01);
        var gap = decoded.Samples.AsSpan(first + (int)((a.Length + (padding / 4)) * scale), (int)(padding / 2 * scale));
        Assert.True(Measure.Rms(gap) < 0.01, $"RMS of the padding {Measure.Rms(gap)}");
        Assert.True(Measure.Rms(toneA) > 0.25 && Measure.Rms(toneB) > 0.25, $"RMS {Measure.Rms(toneA)}, {Measure.Rms(toneB)}");
    }

    [Theory]
    [MemberData(nameof(Lossy))]
    public void Many_flushes_keep_one_valid_stream_and_a_flush_right_after_another_adds_nothing(AudioFormat format, int rate)
    {
        const int utterances = 8;
        using var encoder = AudioEncoder.Create(format, rate);
        var output = new ArrayBufferWriter<byte>();
        long written = 0;
        for (var i = 0; i < utterances; i++)
        {
            var tone = Signals.Sine(300 + (100 * i), rate, 0.15 + (0.037 * i));
            encoder.Write(tone, output);
            written += tone.Length;
            encoder.Flush(output);
            var (bytes, padding) = (output.WrittenCount, encoder.PaddingSamples);
            encoder.Flush(output);
            Assert.Equal((bytes, padding), (output.WrittenCount, encoder.PaddingSamples));
        }

        // Complete right after a flush: the stream is already whole, so nothing audible is added.
        encoder.Complete(output);
        var all = output.WrittenSpan.ToArray();
        Assert.InRange(encoder.PaddingSamples, utterances, utterances * MaxPaddingPerFlush(encoder));
        if (format == AudioFormat.Opus) OggOpusTests.AssertOpusinfoClean(_files.Save(all, format));

        var decoded = Decode(all, format, rate);
        var scale = (double)decoded.SampleRate / rate;
        var total = written + encoder.PaddingSamples;
        if (format == AudioFormat.Opus)
        {
            // The end-of-stream page may not go below the last flushed page: the stream ends with the last flush's padding,
            // less the encoder lookahead that the pre-skip removes at the start.
            Assert.Equal((long)((total - ((OpusOggEncoder)encoder).Lookahead) * scale), decoded.Samples.Length);
        }
        else
        {
            // The frames end within the last flush's padding, past the last sample by at least the delays.
            Assert.InRange(decoded.Samples.Length, total - MaxPaddingPerFlush(encoder) + 576, total);
        }
        Assert.True(Measure.Rms(decoded.Samples) > 0.2, $"RMS {Measure.Rms(decoded.Samples)}");
    }

    [Theory]
    [InlineData(AudioFormat.Pcm16)]
    [InlineData(AudioFormat.Wav)]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Pcm_family_flush_is_a_no_op(AudioFormat format)
    {
        using var encoder = AudioEncoder.Create(format, 8000);
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(Signals.Sine(440, 8000, 0.1), output);
        var before = output.WrittenCount;

        Assert.True(encoder.CanFlush);
        encoder.Flush(output);

        Assert.Equal(before, output.WrittenCount);
        Assert.Equal(0, encoder.PaddingSamples);
        encoder.Write(Signals.Sine(440, 8000, 0.1), output);
        Assert.Equal(1600, encoder.SamplesWritten);
    }

    [Fact]
    public void Wav_flush_before_any_audio_sends_the_streaming_header_alone_and_the_stream_stays_one_file()
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Wav, 16000);
        var output = new ArrayBufferWriter<byte>();
        encoder.Flush(output);
        Assert.Equal(44, output.WrittenCount);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(output.WrittenSpan[..4]));

        encoder.Flush(output);
        encoder.Write(Signals.Sine(440, 16000, 0.5), output);
        encoder.Complete(output);
        Assert.Equal(44 + 16000, output.WrittenCount); // one header, then the samples

        var decoded = Decode(output.WrittenSpan.ToArray(), AudioFormat.Wav, 16000);
        Assert.Equal((16000, 8000), (decoded.SampleRate, decoded.Samples.Length));
        Assert.InRange(Measure.ZeroCrossingFrequency(decoded.Samples, decoded.SampleRate), 430, 450);
    }

    [Fact]
    public void Flac_cannot_flush_and_stays_usable()
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Flac, 16000);
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(Signals.Sine(440, 16000, 0.5), output);

        Assert.False(encoder.CanFlush);
        var error = Assert.Throws<NotSupportedException>(() => encoder.Flush(output));
        Assert.Contains("flac", error.Message, StringComparison.Ordinal);

        encoder.Complete(output);
        var stat = Sox.Stat(_files.Save(output.WrittenSpan.ToArray(), AudioFormat.Flac));
        Assert.Equal(8000, stat.SamplesRead);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3)]
    [InlineData(AudioFormat.Opus)]
    [InlineData(AudioFormat.Pcm16)]
    public void Flush_after_Complete_or_Dispose_throws(AudioFormat format)
    {
        var encoder = AudioEncoder.Create(format, 16000);
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(new float[500], output);
        encoder.Complete(output);
        Assert.Throws<InvalidOperationException>(() => encoder.Flush(output));
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Flush(output));
        Assert.Throws<ArgumentNullException>(() => AudioEncoder.Create(format, 16000).Flush(null!));
    }

    [Fact]
    public void Opus_flush_before_any_audio_emits_just_the_headers()
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Opus, 48000);
        var output = new ArrayBufferWriter<byte>();
        encoder.Flush(output);

        var pages = CodecsOggReader.ReadPages(output.WrittenSpan);
        Assert.Equal(2, pages.Count);
        Assert.Equal(0, encoder.PaddingSamples);
    }

    // Opus: the partial frame plus the encoder's lookahead. MP3: the partial frame, the encoder delay and the decoder
    // delay cover (576 each), the 752 samples LAME looks ahead before it encodes a frame, and one padding step.
    private static long MaxPaddingPerFlush(AudioEncoder encoder) => encoder switch
    {
        Mp3Encoder mp3 => mp3.FrameSize + 576 + 576 + 752 + 32,
        OpusOggEncoder opus => opus.Lookahead + (encoder.SampleRate / 50),
        _ => 0,
    };

    // Opus through opusdec (sox 14.4 cannot read it). MP3 through mpglib (lame --decode), which decodes every frame and
    // drops the 529-sample decoder delay: sox's libmad reader holds the last frame of a file back, so it cannot show
    // that a flush let the last samples out (sox still checks the complete streams above).
    private Decoded Decode(byte[] encoded, AudioFormat format, int rate)
    {
        if (format != AudioFormat.Mp3) return Sox.Decode(encoded, format, rate);
        var raw = _files.NewPath("raw");
        Cli.Run("lame", "--quiet", "--decode", "-t", _files.Save(encoded, format), raw);
        return new Decoded(MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(raw)).ToArray(), rate);
    }

    // First and last sample louder than the threshold.
    private static (int First, int Last) LoudExtent(short[] samples)
    {
        var threshold = (short)(Loud * short.MaxValue);
        var first = Array.FindIndex(samples, s => Math.Abs((int)s) > threshold);
        var last = Array.FindLastIndex(samples, s => Math.Abs((int)s) > threshold);
        Assert.True(first >= 0, "The decoded audio is silent.");
        return (first, last);
    }
}
