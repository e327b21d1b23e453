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
    public void ListsEveryVoiceWithItsMetadata()
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
    public void AcceptsTheCatalogIdAsVoice()
    {
        var byId = EnginesRecording.Record(_flite, Request("flite-rms", "Yes."));
        var byName = EnginesRecording.Record(_flite, Request("rms", "Yes."));

        Assert.Equal(byName.ToArray(), byId.ToArray());
    }

    [Theory]
    [InlineData("slt")]
    [InlineData("kal16")]
    public void DoubleRateHalvesTheDuration(string voice)
    {
        var normal = EnginesRecording.Record(_flite, Request(voice));
        var fast = EnginesRecording.Record(_flite, Request(voice, rate: 2.0));

        Assert.InRange(fast.Seconds / normal.Seconds, 0.5 * 0.8, 0.5 * 1.2);
    }

    [Theory]
    [InlineData("slt")]
    [InlineData("awb")]
    [InlineData("kal16")]
    public void HigherPitchRaisesTheFundamental(string voice)
    {
        var normal = EnginesRecording.Record(_flite, Request(voice));
        var high = EnginesRecording.Record(_flite, Request(voice, pitch: 1.5));

        var f0 = Measure.MedianPitch(normal.ToArray(), normal.SampleRate);
        var f0High = Measure.MedianPitch(high.ToArray(), high.SampleRate);
        Assert.True(f0High / f0 is > 1.3 and < 1.7, $"median F0 {f0:F1} Hz -> {f0High:F1} Hz");
    }

    [Fact]
    public void HalfVolumeHalvesTheRms()
    {
        var normal = EnginesRecording.Record(_flite, Request("slt"));
        var quiet = EnginesRecording.Record(_flite, Request("slt", volume: 0.5));

        Assert.Equal(normal.Samples.Count, quiet.Samples.Count);
        Assert.InRange(Measure.Pcm16Rms(quiet.ToArray()) / Measure.Pcm16Rms(normal.ToArray()), 0.5 * 0.85, 0.5 * 1.15);
    }

    [Fact]
    public void SameRequestGivesIdenticalSamples()
    {
        var first = EnginesRecording.Record(_flite, Request("awb"));
        var second = EnginesRecording.Record(_flite, Request("awb"));

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void SeedChoosesTheVocoderNoise()
    {
        var seeded = EnginesRecording.Record(_flite, Request("slt") with { Seed = 42 });
        var again = EnginesRecording.Record(_flite, Request("slt") with { Seed = 42 });
        var other = EnginesRecording.Record(_flite, Request("slt") with { Seed = 7 });

        Assert.Equal(seeded.ToArray(), again.ToArray());
        Assert.Equal(seeded.Samples.Count, other.Samples.Count);
        Assert.NotEqual(seeded.ToArray(), other.ToArray());
    }

    [Fact]
    public void ParametersDoNotLeakIntoTheNextCall()
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
    public void SinkReturningFalseStopsAfterTheFirstBlock()
    {
        var full = EnginesRecording.Record(_flite, Request("slt"));
        var stopped = EnginesRecording.Record(_flite, Request("slt"), keepGoing: _ => false);

        Assert.Equal(1, stopped.Blocks);
        Assert.True(stopped.Samples.Count < full.Samples.Count / 4);
        Assert.Equal(full.Samples.Take(stopped.Samples.Count), stopped.Samples);
        Assert.Equal(full.ToArray(), EnginesRecording.Record(_flite, Request("slt")).ToArray());
    }

    [Fact]
    public void CancellationStopsAndThrows() => EnginesChecks.AssertCancellationStopsAfterTheFirstBlock(_flite, Request("kal"));

    [Fact]
    public void SinkExceptionPropagatesAndTheEngineStaysUsable() =>
        EnginesChecks.AssertSinkExceptionPropagatesAndTheEngineStaysUsable(_flite, Request("slt"), Request("slt", "Still working."));

    [Fact]
    public void WordBoundariesAreMonotonicInsideTheAudioAndMatchTheText()
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
    public void EmptyTextGivesNoAudio(string text)
    {
        var recording = EnginesRecording.Record(_flite, Request("slt", text));

        Assert.Empty(recording.Samples);
    }

    [Fact]
    public void SinkCannotStartAnotherSynthesis()
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
    public void NonAsciiTextIsSpokenWithoutFailing()
    {
        var recording = EnginesRecording.Record(_flite, Request("slt", "Café naïve 😀 résumé, ünïcödé."));

        Assert.InRange(recording.Seconds, 0.3, 8.0);
        Assert.True(Measure.Pcm16Rms(recording.ToArray()) > 300, "audio is silent");
    }

    [Fact]
    public void PunctuationOnlyTextDoesNotCrash()
    {
        var recording = EnginesRecording.Record(_flite, Request("rms", "?! ..."));

        Assert.InRange(recording.Samples.Count, 0, 16000 * 2);
    }

    [Fact]
    public void BadRequestsFailWithTypedErrors()
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
    public void DisposedSynthesizerRefusesWork()
    {
        var flite = new FliteSynthesizer();
        flite.Dispose();

        Assert.Throws<ObjectDisposedException>(() => flite.ListVoices());
        Assert.Throws<ObjectDisposedException>(() => EnginesRecording.Record(flite, Request("slt")));
    }
}
