using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Flite;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Engines;

[Collection("flite")]
public sealed class FliteSynthesizerTests : IDisposable
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog.";
    private readonly FliteSynthesizer _flite = new();

    public void Dispose() => _flite.Dispose();

    private static EngineRequest Request(string voice, string text = Sentence, double rate = 1, double pitch = 1, double volume = 1) =>
        new(voice, text, new Prosody(rate, pitch, volume));

    [Fact]
    public void Lists_every_voice_with_its_metadata()
    {
        var voices = _flite.ListVoices().ToDictionary(v => v.Id);

        Assert.Equal(["flite-awb", "flite-kal", "flite-kal16", "flite-rms", "flite-slt"], voices.Keys.Order());
        Assert.DoesNotContain(voices.Values, v => v.NativeName.Contains("time"));
        Assert.All(voices.Values, v => Assert.Equal("flite", v.Engine));
        Assert.Equal(("slt", "en-US", VoiceGender.Female, 16000, VoiceQuality.Natural), Describe(voices["flite-slt"]));
        Assert.Equal(("rms", "en-US", VoiceGender.Male, 16000, VoiceQuality.Natural), Describe(voices["flite-rms"]));
        Assert.Equal(("awb", "en-GB", VoiceGender.Male, 16000, VoiceQuality.Natural), Describe(voices["flite-awb"]));
        Assert.Contains("Scottish", voices["flite-awb"].DisplayName);
        Assert.Equal(("kal16", "en-US", VoiceGender.Male, 16000, VoiceQuality.Standard), Describe(voices["flite-kal16"]));
        Assert.Equal(("kal", "en-US", VoiceGender.Male, 8000, VoiceQuality.Robotic), Describe(voices["flite-kal"]));

        static (string, string, VoiceGender, int, VoiceQuality) Describe(EngineVoice v) =>
            (v.NativeName, v.Language, v.Gender, v.SampleRate, v.Quality);
    }

    [Theory]
    [InlineData("slt")]
    [InlineData("rms")]
    [InlineData("awb")]
    [InlineData("kal16")]
    [InlineData("kal")]
    public void EveryVoiceSpeaksASentence(string name)
    {
        var declared = _flite.ListVoices().Single(v => v.NativeName == name);

        var recording = EnginesRecording.Record(_flite, Request(name, "Hello there, this is a test."));

        EnginesChecks.AssertStreamedSpeech(recording, declared.SampleRate);
        Assert.InRange(recording.Seconds, 0.8, 5.0);
    }

    [Fact]
    public void Accepts_the_catalog_id_as_voice()
    {
        var byId = EnginesRecording.Record(_flite, Request("flite-rms", "Yes."));
        var byName = EnginesRecording.Record(_flite, Request("rms", "Yes."));

        Assert.Equal(byName.ToArray(), byId.ToArray());
    }

    [Theory]
    [InlineData("slt")]
    [InlineData("kal16")]
    public void Double_rate_halves_the_duration(string voice)
    {
        var normal = EnginesRecording.Record(_flite, Request(voice));
        var fast = EnginesRecording.Record(_flite, Request(voice, rate: 2.0));

        Assert.InRange(fast.Seconds / normal.Seconds, 0.5 * 0.8, 0.5 * 1.2);
    }

    [Theory]
    [InlineData("slt")]
    [InlineData("awb")]
    [InlineData("kal16")]
    public void Higher_pitch_raises_the_fundamental(string voice)
    {
        var normal = EnginesRecording.Record(_flite, Request(voice));
        var high = EnginesRecording.Record(_flite, Request(voice, pitch: 1.5));

        var f0 = Measure.MedianPitch(normal.ToArray(), normal.SampleRate);
        var f0High = Measure.MedianPitch(high.ToArray(), high.SampleRate);
        Assert.True(f0High / f0 is > 1.3 and < 1.7, $"median F0 {f0:F1} Hz -> {f0High:F1} Hz");
    }

    [Fact]
    public void Half_volume_halves_the_rms()
    {
        var normal = EnginesRecording.Record(_flite, Request("slt"));
        var quiet = EnginesRecording.Record(_flite, Request("slt", volume: 0.5));

        Assert.Equal(normal.Samples.Count, quiet.Samples.Count);
        Assert.InRange(Measure.Pcm16Rms(quiet.ToArray()) / Measure.Pcm16Rms(normal.ToArray()), 0.5 * 0.85, 0.5 * 1.15);
    }

    [Fact]
    public void Same_request_gives_identical_samples()
    {
        var first = EnginesRecording.Record(_flite, Request("awb"));
        var second = EnginesRecording.Record(_flite, Request("awb"));

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Seed_chooses_the_vocoder_noise()
    {
        var seeded = EnginesRecording.Record(_flite, Request("slt") with { Seed = 42 });
        var again = EnginesRecording.Record(_flite, Request("slt") with { Seed = 42 });
        var other = EnginesRecording.Record(_flite, Request("slt") with { Seed = 7 });

        Assert.Equal(seeded.ToArray(), again.ToArray());
        Assert.Equal(seeded.Samples.Count, other.Samples.Count);
        Assert.NotEqual(seeded.ToArray(), other.ToArray());
    }

    [Fact]
    public void Parameters_do_not_leak_into_the_next_call()
    {
        using (var fresh = new FliteSynthesizer())
        {
            // Warm the voice with non-default prosody first, then compare a default call with one made after it.
            EnginesRecording.Record(fresh, Request("kal16", rate: 1.7, pitch: 0.6, volume: 0.3));
        }
        var reference = EnginesRecording.Record(_flite, Request("kal16"));
        EnginesRecording.Record(_flite, Request("kal16", rate: 2.0, pitch: 1.8, volume: 1.5));
        var after = EnginesRecording.Record(_flite, Request("kal16"));

        Assert.Equal(reference.ToArray(), after.ToArray());
    }

    [Fact]
    public void Sink_returning_false_stops_after_the_first_block()
    {
        var full = EnginesRecording.Record(_flite, Request("slt"));
        var stopped = EnginesRecording.Record(_flite, Request("slt"), keepGoing: _ => false);

        Assert.Equal(1, stopped.Blocks);
        Assert.True(stopped.Samples.Count < full.Samples.Count / 4);
        Assert.Equal(full.Samples.Take(stopped.Samples.Count), stopped.Samples);
        Assert.Equal(full.ToArray(), EnginesRecording.Record(_flite, Request("slt")).ToArray());
    }

    [Fact]
    public void Cancellation_stops_and_throws() => EnginesChecks.AssertCancellationStopsAfterTheFirstBlock(_flite, Request("kal"));

    [Fact]
    public void Sink_exception_propagates_and_the_engine_stays_usable() =>
        EnginesChecks.AssertSinkExceptionPropagatesAndTheEngineStaysUsable(_flite, Request("slt"), Request("slt", "Still working."));

    [Fact]
    public void Word_boundaries_are_monotonic_inside_the_audio_and_match_the_text()
    {
        var recording = EnginesRecording.Record(_flite, Request("slt"));

        var expected = Sentence.TrimEnd('.').ToLowerInvariant().Split(' ');
        Assert.Equal(expected, recording.Words.Select(w => w.Word));
        for (var i = 1; i < recording.Words.Count; i++)
            Assert.True(recording.Words[i].SampleOffset > recording.Words[i - 1].SampleOffset, $"word {i} does not move forward");
        Assert.All(recording.Words, w =>
        {
            Assert.InRange(w.SampleOffset, 0, recording.Samples.Count - 1);
            Assert.InRange(w.SampleOffset + w.SampleLength, w.SampleOffset + 1, recording.Samples.Count);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void Empty_text_gives_no_audio(string text)
    {
        var recording = EnginesRecording.Record(_flite, Request("slt", text));

        Assert.Empty(recording.Samples);
    }

    [Fact]
    public void Sink_cannot_start_another_synthesis()
    {
        Assert.Throws<InvalidOperationException>(() =>
            _flite.Synthesize(Request("slt"), (_, _, _) =>
            {
                EnginesRecording.Record(_flite, Request("rms", "Nested."));
                return true;
            }, default));

        Assert.True(EnginesRecording.Record(_flite, Request("rms", "Not nested.")).Samples.Count > 0);
    }

    [Fact]
    public void Non_ascii_text_is_spoken_without_failing()
    {
        var recording = EnginesRecording.Record(_flite, Request("slt", "Café naïve 😀 résumé, ünïcödé."));

        Assert.InRange(recording.Seconds, 0.3, 8.0);
        Assert.True(Measure.Pcm16Rms(recording.ToArray()) > 300, "audio is silent");
    }

    [Fact]
    public void Punctuation_only_text_does_not_crash()
    {
        var recording = EnginesRecording.Record(_flite, Request("rms", "?! ..."));

        Assert.InRange(recording.Samples.Count, 0, 16000 * 2);
    }

    [Fact]
    public void Bad_requests_fail_with_typed_errors()
    {
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("nobody"))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("slt", new string('a', 401)))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("slt", "a\0b"))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("slt", rate: double.NaN))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("slt", pitch: 0))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("slt", volume: -1))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest,
            Assert.Throws<EngineException>(() => Record(Request("slt") with { Phonemes = "hh ax l ow" })).Kind);
        Assert.Throws<ArgumentNullException>(() => _flite.Synthesize(Request("slt"), null!, default));

        void Record(EngineRequest request) => EnginesRecording.Record(_flite, request);
    }

    [Fact]
    public void Disposed_synthesizer_refuses_work()
    {
        var flite = new FliteSynthesizer();
        flite.Dispose();

        Assert.Throws<ObjectDisposedException>(() => flite.ListVoices());
        Assert.Throws<ObjectDisposedException>(() => EnginesRecording.Record(flite, Request("slt")));
    }
}
