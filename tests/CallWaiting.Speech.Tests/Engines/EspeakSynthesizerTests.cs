using System.Text.RegularExpressions;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Espeak;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Engines;

[Collection("espeak")]
public sealed class EspeakSynthesizerTests : IDisposable
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog.";
    private readonly EspeakSynthesizer _espeak = new();

    public void Dispose() => _espeak.Dispose();

    private static EngineRequest Request(string voice, string text = Sentence, double rate = 1, double pitch = 1, double volume = 1) =>
        new(voice, text, new Prosody(rate, pitch, volume));

    [Fact]
    public void Lists_over_a_hundred_voices_with_well_formed_tags()
    {
        var voices = _espeak.ListVoices();
        var wellFormed = new Regex(
            "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(-x(-[a-z0-9]{1,8})+)?$");

        Assert.True(voices.Count >= 100, $"only {voices.Count} voices");
        Assert.Equal(voices.Count, voices.Select(v => v.Id).Distinct().Count());
        Assert.All(voices, v =>
        {
            Assert.Matches("^espeak-[a-z0-9-]+$", v.Id);
            Assert.Matches(wellFormed, v.Language);
            Assert.Equal("espeak", v.Engine);
            Assert.Equal(22050, v.SampleRate);
            Assert.Equal(VoiceQuality.Robotic, v.Quality);
            Assert.StartsWith("eSpeak ", v.DisplayName);
        });
        var byId = voices.ToDictionary(v => v.Id);
        Assert.Equal(("gmw/en-US", "en-US"), (byId["espeak-en-us"].NativeName, byId["espeak-en-us"].Language));
        Assert.Equal(("gmw/en", "en-GB"), (byId["espeak-en-gb"].NativeName, byId["espeak-en-gb"].Language));
        Assert.Equal("en-GB-x-rp", byId["espeak-en-gb-x-rp"].Language);
        Assert.Equal("cmn", byId["espeak-cmn"].Language);
        Assert.Equal("yue", byId["espeak-yue"].Language);
        Assert.Equal(("sit/yue-Latn-jyutping", "yue"), (byId["espeak-yue-latn-jyutping"].NativeName, byId["espeak-yue-latn-jyutping"].Language));
        Assert.Equal("chr-Qaaa-US-x-west", byId["espeak-chr-us-qaaa-x-west"].Language);
        Assert.Equal(("gmw/en-US+f3", VoiceGender.Female), (byId["espeak-en-us-f3"].NativeName, byId["espeak-en-us-f3"].Gender));
        Assert.Equal(("gmw/en+f3", VoiceGender.Female), (byId["espeak-en-gb-f3"].NativeName, byId["espeak-en-gb-f3"].Gender));
        Assert.Equal(("gmw/en+m3", VoiceGender.Male), (byId["espeak-en-gb-m3"].NativeName, byId["espeak-en-gb-m3"].Gender));
        Assert.Equal(VoiceGender.Male, byId["espeak-de"].Gender);
    }

    [Theory]
    [InlineData("espeak-en-us", "Hello there, this is a test.")]
    [InlineData("espeak-en-gb-f3", "Hello there, this is a test.")]
    [InlineData("espeak-de", "Guten Tag, das ist ein Test.")]
    [InlineData("espeak-fr-fr", "Bonjour, ceci est un essai.")]
    [InlineData("espeak-es", "Hola, esto es una prueba.")]
    [InlineData("espeak-it", "Ciao, questa è una prova.")]
    [InlineData("espeak-pt-br", "Olá, isto é um teste.")]
    [InlineData("espeak-ru", "Привет, это проверка.")]
    [InlineData("espeak-cmn", "你好，这是一个测试。")]
    [InlineData("espeak-ar", "مرحبا، هذا اختبار.")]
    [InlineData("espeak-hi", "नमस्ते, यह एक परीक्षण है।")]
    public void VoicesSpeakTheirLanguage(string voice, string text)
    {
        var recording = EnginesRecording.Record(_espeak, Request(voice, text));

        EnginesChecks.AssertStreamedSpeech(recording, 22050);
        Assert.InRange(recording.Seconds, 0.5, 5.0);
        Assert.NotEmpty(recording.Words);
    }

    [Fact]
    public void Female_variant_speaks_higher()
    {
        var male = EnginesRecording.Record(_espeak, Request("gmw/en-US"));
        var female = EnginesRecording.Record(_espeak, Request("gmw/en-US+f3"));

        var f0 = Measure.MedianPitch(male.ToArray(), male.SampleRate);
        var f0Female = Measure.MedianPitch(female.ToArray(), female.SampleRate);
        Assert.True(f0Female > f0 * 1.4, $"median F0 {f0:F1} Hz (male) vs {f0Female:F1} Hz (female)");
    }

    [Fact]
    public void Double_rate_halves_the_duration()
    {
        var normal = EnginesRecording.Record(_espeak, Request("espeak-en-us"));
        var fast = EnginesRecording.Record(_espeak, Request("espeak-en-us", rate: 2.0));

        Assert.InRange(fast.Seconds / normal.Seconds, 0.5 * 0.8, 0.5 * 1.2);
    }

    [Theory]
    [InlineData("espeak-en-us", 1.5)]
    [InlineData("espeak-de", 1.5)]
    [InlineData("espeak-en-us", 0.8)]
    public void Pitch_scales_the_fundamental(string voice, double pitch)
    {
        var normal = EnginesRecording.Record(_espeak, Request(voice));
        var shifted = EnginesRecording.Record(_espeak, Request(voice, pitch: pitch));

        var f0 = Measure.MedianPitch(normal.ToArray(), normal.SampleRate);
        var f0Shifted = Measure.MedianPitch(shifted.ToArray(), shifted.SampleRate);
        Assert.True(Math.Abs(f0Shifted / f0 / pitch - 1) < 0.12, $"median F0 {f0:F1} Hz -> {f0Shifted:F1} Hz, asked for x{pitch}");
    }

    [Fact]
    public void Half_volume_halves_the_rms()
    {
        var normal = EnginesRecording.Record(_espeak, Request("espeak-de", "Guten Tag, das ist ein Test."));
        var quiet = EnginesRecording.Record(_espeak, Request("espeak-de", "Guten Tag, das ist ein Test.", volume: 0.5));

        var ratio = Measure.Pcm16Rms(quiet.ToArray()) / Measure.Pcm16Rms(normal.ToArray());
        Assert.InRange(ratio, 0.5 * 0.85, 0.5 * 1.15);
    }

    [Fact]
    public void Repeated_requests_repeat_their_timing()
    {
        var first = EnginesRecording.Record(_espeak, Request("espeak-en-us"));
        var second = EnginesRecording.Record(_espeak, Request("espeak-en-us"));

        Assert.Equal(first.Seconds, second.Seconds, first.Seconds * 0.01);
        Assert.Equal(first.Words.Select(w => w.Word), second.Words.Select(w => w.Word));
        Assert.Equal(Measure.Pcm16Rms(first.ToArray()), Measure.Pcm16Rms(second.ToArray()), Measure.Pcm16Rms(first.ToArray()) * 0.03);
    }

    [Fact]
    public void Parameters_do_not_leak_into_the_next_call()
    {
        var reference = EnginesRecording.Record(_espeak, Request("espeak-en-gb"));
        EnginesRecording.Record(_espeak, Request("espeak-en-us-f3", rate: 2.0, pitch: 1.8, volume: 0.3));
        var after = EnginesRecording.Record(_espeak, Request("espeak-en-gb"));

        Assert.Equal(reference.Seconds, after.Seconds, reference.Seconds * 0.01);
        var rms = Measure.Pcm16Rms(reference.ToArray());
        Assert.Equal(rms, Measure.Pcm16Rms(after.ToArray()), rms * 0.03);
        var f0 = Measure.MedianPitch(reference.ToArray(), reference.SampleRate);
        Assert.Equal(f0, Measure.MedianPitch(after.ToArray(), after.SampleRate), f0 * 0.03);
    }

    [Fact]
    public void Sink_returning_false_stops_after_the_first_block()
    {
        var full = EnginesRecording.Record(_espeak, Request("espeak-en-us"));
        var stopped = EnginesRecording.Record(_espeak, Request("espeak-en-us"), keepGoing: _ => false);
        var after = EnginesRecording.Record(_espeak, Request("espeak-en-us"));

        Assert.Equal(1, stopped.Blocks);
        Assert.True(stopped.Samples.Count < full.Samples.Count / 4);
        Assert.Equal(full.Seconds, after.Seconds, full.Seconds * 0.01);
        Assert.Equal(full.Words.Select(w => w.Word), after.Words.Select(w => w.Word));
    }

    [Fact]
    public void Cancellation_stops_and_throws() =>
        EnginesChecks.AssertCancellationStopsAfterTheFirstBlock(_espeak, Request("espeak-fr-fr", "Bonjour à tous, ceci est un essai."));

    [Fact]
    public void Sink_exception_propagates_and_the_engine_stays_usable() =>
        EnginesChecks.AssertSinkExceptionPropagatesAndTheEngineStaysUsable(
            _espeak, Request("espeak-en-us"), Request("espeak-en-us", "Still working."));

    [Fact]
    public void Sink_cannot_call_back_into_the_engine()
    {
        Assert.Throws<InvalidOperationException>(() =>
            _espeak.Synthesize(Request("espeak-en-us"), (_, _, _) =>
            {
                _espeak.TextToPhonemes("nested", "espeak-de");
                return true;
            }, default));
        Assert.Throws<InvalidOperationException>(() =>
            _espeak.Synthesize(Request("espeak-en-us"), (_, _, _) =>
            {
                EnginesRecording.Record(_espeak, Request("espeak-de", "Verschachtelt."));
                return true;
            }, default));

        var recording = EnginesRecording.Record(_espeak, Request("espeak-en-us"));
        Assert.Equal(Sentence.TrimEnd('.').Split(' '), recording.Words.Select(w => w.Word));
    }

    [Fact]
    public void Word_boundaries_are_monotonic_inside_the_audio_and_match_the_text()
    {
        var recording = EnginesRecording.Record(_espeak, Request("espeak-en-us"));

        Assert.Equal(Sentence.TrimEnd('.').Split(' '), recording.Words.Select(w => w.Word));
        for (var i = 1; i < recording.Words.Count; i++)
            Assert.True(recording.Words[i].SampleOffset > recording.Words[i - 1].SampleOffset, $"word {i} does not move forward");
        Assert.All(recording.Words, w => Assert.InRange(w.SampleOffset, 0, recording.Samples.Count - 1));
        // The last word starts in the final stretch of audio, not at its very start.
        Assert.True(recording.Words[^1].SampleOffset > recording.Samples.Count / 2);
    }

    [Fact]
    public void Word_boundaries_slice_text_outside_the_basic_plane()
    {
        var recording = EnginesRecording.Record(_espeak, Request("espeak-en-us", "Hello 😀 wonderful wörld."));

        Assert.Equal("Hello", recording.Words[0].Word);
        Assert.Contains("😀", recording.Words.Select(w => w.Word));
        Assert.Equal(["wonderful", "wörld"], recording.Words.Select(w => w.Word).TakeLast(2));
    }

    [Fact]
    public void Speaks_phoneme_input_without_word_events()
    {
        var phonemes = EnginesRecording.Record(_espeak, Request("espeak-en-us", "ignored") with { Phonemes = "h@l'oU w'3:ld" });

        Assert.InRange(phonemes.Seconds, 0.3, 3.0);
        Assert.True(Measure.Pcm16Rms(phonemes.ToArray()) > 300, "audio is silent");
        Assert.Empty(phonemes.Words);
    }

    [Fact]
    public void Translates_text_to_ipa()
    {
        var english = _espeak.TextToPhonemes("Hello world. How are you?", "espeak-en-us");
        var german = _espeak.TextToPhonemes("Guten Tag", "gmw/de");

        Assert.Contains("ˈ", english);
        Assert.Contains("həl", english);
        Assert.Contains("w", english);
        Assert.Contains("aʊ", english);
        Assert.DoesNotContain("@", english);
        Assert.Contains("ɡ", german);
        Assert.Equal("", _espeak.TextToPhonemes("  ", "espeak-en-us"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void Empty_text_gives_no_audio(string text)
    {
        var recording = EnginesRecording.Record(_espeak, Request("espeak-en-us", text));

        Assert.Empty(recording.Samples);
    }

    [Fact]
    public void Bad_requests_fail_with_typed_errors()
    {
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("espeak-xx"))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("gmw/en+bogus"))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("espeak-de", new string('a', 601)))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => Record(Request("espeak-de", rate: -1))).Kind);
        Assert.Equal(EngineErrorKind.InvalidRequest, Assert.Throws<EngineException>(() => _espeak.TextToPhonemes("a", "nobody")).Kind);
        Assert.Throws<ArgumentNullException>(() => _espeak.Synthesize(null!, (_, _, _) => true, default));

        void Record(EngineRequest request) => EnginesRecording.Record(_espeak, request);
    }

    [Fact]
    public void Prosody_maps_onto_espeak_scales()
    {
        Assert.Equal(new EspeakSettings(175, 50, 100), EspeakSettings.From(Prosody.Default));
        Assert.Equal(new EspeakSettings(350, 100, 200), EspeakSettings.From(new Prosody(2, 2, 2)));
        Assert.Equal(new EspeakSettings(88, 0, 50), EspeakSettings.From(new Prosody(0.5, 0.6, 0.5)));
        Assert.Equal(89, EspeakSettings.From(new Prosody(1, 1.5, 1)).Pitch);
        Assert.Equal(26, EspeakSettings.From(new Prosody(1, 0.8, 1)).Pitch);
        Assert.Equal(new EspeakSettings(80, 0, 0), EspeakSettings.From(new Prosody(0.1, 0.1, 0)));
        Assert.Equal(new EspeakSettings(450, 100, 200), EspeakSettings.From(new Prosody(9, 9, 9)));
    }
}
