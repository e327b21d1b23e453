using System.Buffers;
using System.Runtime.CompilerServices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>State rules, empty streams, bad arguments and resource release, for every encoder.</summary>
public sealed class EncoderLifecycleTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<AudioFormat> Formats() => [.. AudioFormats.All];

    private static int RateFor(AudioFormat format) => AudioFormats.NearestSupportedSampleRate(format, 16000);

    [Theory]
    [MemberData(nameof(Formats))]
    public void Bytes_flow_before_Complete_when_a_frame_is_ready(AudioFormat format)
    {
        var rate = RateFor(format);
        var input = Signals.Sine(1000, rate, 1.0);
        using var encoder = AudioEncoder.Create(format, rate);
        var output = new ArrayBufferWriter<byte>();

        // 250 ms is more than one MP3/Opus-page/FLAC block at 16 kHz.
        var quarter = rate / 4;
        encoder.Write(input.AsSpan(0, quarter), output);
        var afterFirst = output.WrittenCount;
        encoder.Write(input.AsSpan(quarter), output);
        var beforeComplete = output.WrittenCount;
        encoder.Complete(output);

        Assert.True(afterFirst > 0, "The first 250 ms produced no bytes.");
        Assert.True(beforeComplete > afterFirst, "The rest of the second produced no bytes before Complete.");
        Assert.True(output.WrittenCount >= beforeComplete);
        Assert.Equal(input.Length, encoder.SamplesWritten);
    }

    [Theory]
    [InlineData(AudioFormat.Wav)]
    [InlineData(AudioFormat.Pcm16)]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Pcm_family_emits_every_sample_immediately(AudioFormat format)
    {
        using var encoder = AudioEncoder.Create(format, 8000);
        var output = new ArrayBufferWriter<byte>();
        var bytesPerSample = format is AudioFormat.Mulaw or AudioFormat.Alaw ? 1 : 2;
        var header = format == AudioFormat.Wav ? WavHeader.Size : 0;

        encoder.Write(new float[] { 0.25f }, output);
        Assert.Equal(header + bytesPerSample, output.WrittenCount);
        encoder.Write(new float[] { 0.5f, -0.5f }, output);
        Assert.Equal(header + 3 * bytesPerSample, output.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Write_or_Complete_after_Complete_throws(AudioFormat format)
    {
        using var encoder = AudioEncoder.Create(format, RateFor(format));
        var output = new ArrayBufferWriter<byte>();
        encoder.Write(new float[100], output);
        encoder.Complete(output);

        Assert.Throws<InvalidOperationException>(() => encoder.Write(new float[10], output));
        Assert.Throws<InvalidOperationException>(() => encoder.Complete(output));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Use_after_Dispose_throws_ObjectDisposed(AudioFormat format)
    {
        var encoder = AudioEncoder.Create(format, RateFor(format));
        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Write(new float[10], new ArrayBufferWriter<byte>()));
        Assert.Throws<ObjectDisposedException>(() => encoder.Complete(new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Dispose_without_Complete_releases_cleanly_even_mid_frame(AudioFormat format)
    {
        var rate = RateFor(format);
        var input = Signals.Sine(440, rate, 0.7);
        for (var i = 0; i < 50; i++)
        {
            using var encoder = AudioEncoder.Create(format, rate);
            encoder.Write(input.AsSpan(0, 1000 + 37 * i), new ArrayBufferWriter<byte>());
        }
        // Abandoned without Dispose: the SafeHandles' finalizers must release the native encoders.
        AbandonEncoders(format, rate, input);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Still fully functional afterwards: an independent decoder gets the whole tone back at its level (RMS of a 0.5 sine).
        using var survivor = AudioEncoder.Create(format, rate);
        var output = new ArrayBufferWriter<byte>();
        survivor.Write(input, output);
        survivor.Complete(output);
        var decoded = Sox.Decode(output.WrittenSpan.ToArray(), format, rate);
        EncoderRoundTripTests.AssertDuration(format, survivor, input.Length, rate, decoded);
        Assert.InRange(Sox.Analyze(decoded.Samples, decoded.SampleRate).RmsAmplitude, 0.5 / Math.Sqrt(2) * 0.8, 0.5 / Math.Sqrt(2) * 1.2);
    }

    [Fact]
    public void An_output_that_throws_faults_the_encoder_and_surfaces_the_error()
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Flac, 16000);
        var failing = new FailingBufferWriter();

        var error = Assert.Throws<AudioEncoderException>(() => encoder.Write(Signals.Sine(1000, 16000, 1.0), failing));
        Assert.IsType<IOException>(error.InnerException);
        Assert.Throws<InvalidOperationException>(() => encoder.Write(new float[10], new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(AudioFormat.Wav)]
    [InlineData(AudioFormat.Flac)]
    [InlineData(AudioFormat.Opus)]
    public void Zero_samples_give_a_valid_empty_file(AudioFormat format)
    {
        var rate = RateFor(format);
        var bytes = AudioEncoder.Encode(format, rate, ReadOnlySpan<float>.Empty);

        Assert.NotEmpty(bytes);
        if (format == AudioFormat.Flac) Cli.Run("flac", "-t", "--silent", _files.Save(bytes, format));
        if (format == AudioFormat.Opus) OggOpusTests.AssertOpusinfoClean(_files.Save(bytes, format));
        if (format == AudioFormat.Wav) Assert.Equal("0", Cli.Run("soxi", "-s", _files.Save(bytes, format)).Stdout.Trim());
        Assert.Empty(Sox.Decode(bytes, format, rate).Samples);
    }

    [Theory]
    [InlineData(AudioFormat.Pcm16)]
    [InlineData(AudioFormat.Mulaw)]
    [InlineData(AudioFormat.Alaw)]
    public void Zero_samples_give_zero_bytes_for_headerless_formats(AudioFormat format) =>
        Assert.Empty(AudioEncoder.Encode(format, 8000, ReadOnlySpan<float>.Empty));

    [Fact]
    public void Zero_samples_give_mp3_that_decodes_to_nothing_but_delay_and_padding()
    {
        // LAME flushes its delay as whole frames even with no input; MP3 has no way to say "empty".
        var bytes = AudioEncoder.Encode(AudioFormat.Mp3, 16000, ReadOnlySpan<float>.Empty);
        Assert.NotEmpty(bytes);
        using var encoder = (Mp3Encoder)AudioEncoder.Create(AudioFormat.Mp3, 16000);
        var decoded = Sox.Decode(bytes, AudioFormat.Mp3, 16000);
        Assert.InRange(decoded.Samples.Length, 0, encoder.EncoderDelay + 2 * encoder.FrameSize);
        Assert.Equal(0, Measure.Rms(decoded.Samples), 3);
    }

    [Theory]
    [InlineData(AudioFormat.Wav, 7999)]
    [InlineData(AudioFormat.Wav, 96000)]
    [InlineData(AudioFormat.Pcm16, 0)]
    [InlineData(AudioFormat.Mulaw, -8000)]
    [InlineData(AudioFormat.Alaw, 48001)]
    [InlineData(AudioFormat.Flac, 96000)]
    [InlineData(AudioFormat.Mp3, 23000)]
    [InlineData(AudioFormat.Mp3, 96000)]
    [InlineData(AudioFormat.Opus, 22050)]
    [InlineData(AudioFormat.Opus, 44100)]
    public void Unsupported_sample_rate_throws_ArgumentException(AudioFormat format, int rate)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => AudioEncoder.Create(format, rate));
        Assert.Equal("sampleRate", error.ParamName);
    }

    [Fact]
    public void Null_output_throws_ArgumentNullException()
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Wav, 8000);
        Assert.Throws<ArgumentNullException>(() => encoder.Write(new float[1], null!));
        Assert.Throws<ArgumentNullException>(() => encoder.Complete(null!));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Encoder_reports_its_format_rate_and_content_type(AudioFormat format)
    {
        var rate = RateFor(format);
        using var encoder = AudioEncoder.Create(format, rate);
        Assert.Equal(format, encoder.Format);
        Assert.Equal(rate, encoder.SampleRate);
        Assert.Equal(AudioFormats.ContentType(format, rate), encoder.ContentType);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonEncoders(AudioFormat format, int rate, float[] input)
    {
        for (var i = 0; i < 20; i++)
        {
            var encoder = AudioEncoder.Create(format, rate);
            encoder.Write(input.AsSpan(0, 5000), new ArrayBufferWriter<byte>());
        }
    }

    private sealed class FailingBufferWriter : IBufferWriter<byte>
    {
        private readonly byte[] _scratch = new byte[1 << 16];
        private int _advances;

        public void Advance(int count)
        {
            // Let the stream header through, then fail like a dropped connection.
            if (++_advances > 1) throw new IOException("connection reset");
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _scratch;

        public Span<byte> GetSpan(int sizeHint = 0) => _scratch;
    }
}
