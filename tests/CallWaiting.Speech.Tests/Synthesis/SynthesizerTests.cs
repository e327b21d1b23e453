using System.IO.Pipelines;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Tests.Support;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Synthesis;

[Collection(SpeechRuntimeCollection.Name)]
public sealed class SynthesizerTests(SpeechRuntimeFixture fixture)
{
    private const string Sentence = "Thank you for calling. Your balance is $42.50.";

    [Theory]
    [InlineData("nobody-xx", typeof(VoiceNotFoundException), "voice")]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "speed", 0.4)]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "speed", 2.01)]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "speed", double.NaN)]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "sample_rate", 1.0, 7999)]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "sample_rate", 1.0, 48001)]
    [InlineData("emily-en-us", typeof(SynthesisRequestException), "sample_rate", 1.0, 44100, AudioFormat.Opus)]
    [InlineData("", typeof(SynthesisRequestException), "voice")]
    public void Bad_requests_fail_before_any_audio(string voice, Type exception, string field, double speed = 1.0, int rate = 0,
        AudioFormat format = AudioFormat.Wav)
    {
        var e = Assert.Throws(exception, () => fixture.Synthesizer.Prepare(new SynthesisRequest
        {
            Text = Sentence, Voice = voice, Speed = speed, SampleRate = rate == 0 ? null : rate, Format = format,
        }));
        Assert.Equal(field, ((SynthesisRequestException)e).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("<speak><p>unclosed</speak>")]
    public void Bad_text_is_a_text_input_error(string text) =>
        Assert.Throws<TextInputException>(() => fixture.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = "emily-en-us" }));

    [Theory]
    [InlineData(AudioFormat.Wav, null, 16000)]
    [InlineData(AudioFormat.Mp3, 22050, 22050)]
    [InlineData(AudioFormat.Pcm16, null, 24000)]
    [InlineData(AudioFormat.Mulaw, null, 8000)]
    [InlineData(AudioFormat.Alaw, null, 8000)]
    [InlineData(AudioFormat.Opus, null, 48000)]
    [InlineData(AudioFormat.Flac, 44100, 44100)]
    public async Task Every_format_decodes_to_speech_of_the_same_length(AudioFormat format, int? rate, int expectedRate)
    {
        var reference = await SynthesizeAsync(new SynthesisRequest { Text = Sentence, Voice = "emily-en-us" });
        var encoded = await SynthesizeAsync(new SynthesisRequest { Text = Sentence, Voice = "emily-en-us", Format = format, SampleRate = rate });

        var decoded = Sox.Decode(encoded, format, expectedRate);
        var referenceSeconds = Sox.Decode(reference, AudioFormat.Wav, 16000).Seconds;
        Assert.Equal(format == AudioFormat.Opus ? 48000 : expectedRate, decoded.SampleRate);
        // MP3 carries encoder delay and frame padding (no seekable header to trim it): allow 2% plus 0.1 s there.
        var slack = referenceSeconds * 0.02 + (format == AudioFormat.Mp3 ? 0.1 : 0);
        Assert.InRange(decoded.Seconds, referenceSeconds - slack, referenceSeconds + slack);
        Assert.True(Measure.Rms(decoded.Samples) > 0.02, "decoded audio is silent");
    }

    [Fact]
    public async Task Speed_changes_duration_not_pitch_for_a_native_rate_engine_and_with_wsola()
    {
        foreach (var voice in new[] { "emily-en-us", "espeak-en-us" })
        {
            var normal = await PcmAsync(voice, 1.0);
            var fast = await PcmAsync(voice, 2.0);
            var slow = await PcmAsync(voice, 0.5);
            Assert.InRange(fast.Length / (double)normal.Length, 0.4, 0.65);
            Assert.InRange(slow.Length / (double)normal.Length, 1.6, 2.4);
        }
    }

    [Fact]
    public async Task A_break_adds_its_duration_and_ssml_is_applied()
    {
        var plain = await PcmAsync("emily-en-us", 1.0, "<speak>Hello there. Goodbye now.</speak>");
        var paused = await PcmAsync("emily-en-us", 1.0, "<speak>Hello there. <break time=\"1500ms\"/> Goodbye now.</speak>");
        var addedSeconds = (paused.Length - plain.Length) / 16000.0;
        Assert.InRange(addedSeconds, 1.3, 1.7);
    }

    [Fact]
    public async Task Output_stops_at_the_duration_cap()
    {
        var capped = new Synthesizer(CallWaiting.Speech.Engines.WorkerEngine.ForAll(fixture.Runtime.Pool), new TextFrontEnd(new TextFrontEndOptions()),
            new SynthesisOptions { MaxOutputDuration = TimeSpan.FromSeconds(2) });
        var plan = capped.Prepare(new SynthesisRequest { Text = string.Join(' ', Enumerable.Repeat(Sentence, 20)), Voice = "emily-en-us" });
        long samples = 0;
        await foreach (var chunk in plan.StreamAsync()) samples += chunk.Samples.Length;
        Assert.Equal(2 * 16000, samples);
    }

    [Fact]
    public async Task Same_request_and_seed_give_identical_bytes_for_deterministic_engines()
    {
        var request = new SynthesisRequest { Text = Sentence, Voice = "james-en-us", Format = AudioFormat.Mp3, Seed = 7, Speed = 1.3 };
        var first = await SynthesizeAsync(request);
        var second = await SynthesizeAsync(request);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Word_boundaries_are_monotonic_and_inside_the_audio()
    {
        foreach (var voice in new[] { "emily-en-us", "espeak-en-us" })
        {
            var plan = fixture.Synthesizer.Prepare(new SynthesisRequest { Text = Sentence + " Goodbye.", Voice = voice, SampleRate = 8000 });
            long position = 0, last = -1;
            var words = new List<string>();
            await foreach (var chunk in plan.StreamAsync())
            {
                Assert.Equal(8000, chunk.SampleRate);
                foreach (var w in chunk.Words)
                {
                    Assert.InRange(w.SampleOffset, 0, chunk.Samples.Length - 1);
                    Assert.True(position + w.SampleOffset >= last, $"{voice}: word '{w.Word}' goes back in time");
                    last = position + w.SampleOffset;
                    words.Add(w.Word);
                }
                position += chunk.Samples.Length;
            }
            Assert.Contains(words, w => w.Contains("balance", StringComparison.OrdinalIgnoreCase));
            Assert.True(words.Count >= 8, $"{voice}: only {words.Count} words");
        }
    }

    [Fact]
    public async Task Cancelling_mid_stream_frees_the_worker()
    {
        using var cts = new CancellationTokenSource();
        var plan = fixture.Synthesizer.Prepare(new SynthesisRequest { Text = string.Join(' ', Enumerable.Repeat(Sentence, 30)), Voice = "emily-en-us" });
        var chunks = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in plan.StreamAsync(cts.Token))
                if (++chunks == 1) await cts.CancelAsync();
        });
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (fixture.Runtime.Pool.BusyWorkers > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, fixture.Runtime.Pool.BusyWorkers);
        Assert.NotEmpty(await PcmAsync("emily-en-us", 1.0));
    }

    private async Task<float[]> PcmAsync(string voice, double speed, string text = Sentence)
    {
        var plan = fixture.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voice, Speed = speed, SampleRate = 16000 });
        var samples = new List<float>();
        await foreach (var chunk in plan.StreamAsync()) samples.AddRange(chunk.Samples);
        return [.. samples];
    }

    private async Task<byte[]> SynthesizeAsync(SynthesisRequest request)
    {
        var plan = fixture.Synthesizer.Prepare(request);
        using var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        await AudioStreaming.WriteAsync(plan, writer, CancellationToken.None);
        await writer.CompleteAsync();
        if (request.Format == AudioFormat.Wav) AudioStreaming.FinalizeFile(buffer, AudioFormat.Wav);
        return buffer.ToArray();
    }
}
