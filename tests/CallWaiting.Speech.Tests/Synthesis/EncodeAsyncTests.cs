using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Speech.Tests.Synthesis;

/// <summary>The one encode loop (<see cref="SynthesisPlan.EncodeAsync"/>) and the engine capabilities read through the catalog.</summary>
[Collection(SpeechRuntimeCollection.Name)]
public sealed class EncodeAsyncTests(SpeechRuntimeFixture fixture)
{
    private const string Text = "Thank you for calling. Please hold while we connect you.";

    [Fact]
    public async Task Tempo_shortens_the_audio_and_its_word_timings_alike()
    {
        var normal = await EncodeAsync(1.0);
        var fast = await EncodeAsync(2.0);

        // PCM16 holds nothing back: every piece's bytes are its samples.
        Assert.Equal(2 * normal.Samples, normal.Bytes);
        Assert.Equal(2 * fast.Samples, fast.Bytes);
        Assert.InRange(fast.Samples, normal.Samples * 0.45, normal.Samples * 0.55);
        Assert.Equal(normal.Words.Select(w => w.Word), fast.Words.Select(w => w.Word));
        Assert.InRange(fast.Words[^1].EndMs, normal.Words[^1].EndMs * 0.45, normal.Words[^1].EndMs * 0.55);
        Assert.True(fast.Words[^1].EndMs <= fast.Samples * 1000 / fast.Rate, "no word ends after the audio");
    }

    [Fact]
    public void The_catalog_reports_each_voice_engines_capabilities()
    {
        var catalog = fixture.Synthesizer.Catalog;
        Assert.All(catalog.Voices, v => Assert.Equal(fixture.Runtime.Pool.GetCapabilities(v.Engine), catalog.CapabilitiesOf(v)));
        Assert.True(catalog.CapabilitiesOf(catalog.Voices.First(v => v.Engine == "flite")).Deterministic);
        var stranger = catalog.Voices[0] with { EngineVoice = catalog.Voices[0].EngineVoice with { Engine = "no-such-engine" } };
        Assert.Throws<ArgumentException>(() => catalog.CapabilitiesOf(stranger));
    }

    private async Task<(long Samples, long Bytes, int Rate, List<WordTiming> Words)> EncodeAsync(double tempo)
    {
        var plan = fixture.Synthesizer.Prepare(new SynthesisRequest { Text = Text, Voice = "emily-en-us", Format = AudioFormat.Pcm16, Tempo = tempo });
        using var encoder = plan.CreateEncoder();
        long samples = 0, bytes = 0;
        var words = new List<WordTiming>();
        await foreach (var piece in plan.EncodeAsync(encoder))
        {
            samples += piece.Samples;
            bytes += piece.Audio.Length;
            words.AddRange(piece.Words);
        }
        Assert.NotEmpty(words);
        return (samples, bytes, plan.OutputSampleRate, words);
    }
}
