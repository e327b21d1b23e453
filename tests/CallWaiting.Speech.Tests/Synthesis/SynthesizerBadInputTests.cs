using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Synthesis;

/// <summary>
/// The hostile inputs, end to end through real workers: each gives a typed error or real audio, never a
/// crash or a hang, and the pool is as healthy afterwards as before.
/// </summary>
[Collection(SpeechRuntimeCollection.Name)]
public sealed class SynthesizerBadInputTests(SpeechRuntimeFixture fixture)
{
    // A hang guard, not a performance assertion: a wedged worker would otherwise stall the suite.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    public static TheoryData<string, string> HostileTexts() => new()
    {
        { "20,000 digits", new string('7', 20_000) },
        { "one 5,000-letter token", string.Concat(Enumerable.Repeat("qwrtzpl", 715)) },
        { "emoji", "Hello 😀🎉👍🏽 world 🇺🇸" },
        { "control characters and NUL", "Hello\0 wor\u0007ld\u001b[31m again\u0000." },
        { "invalid surrogates", "bad \uD800 pair \uDC00 here \uDBFF\uDFFF ok" },
        { "unknown SSML tags", "<speak><foo>Hello</foo> <bar x=\"1\">there</bar></speak>" },
        { "SSML break over the cap", "<speak>Wait <break time=\"99999s\"/> done</speak>" },
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_text_gives_audio_or_a_typed_error_for_every_engine(string name, string text)
    {
        var restarts = fixture.Runtime.Pool.WorkerRestarts;
        foreach (var voice in new[] { "emily-en-us", "flite-kal16", "espeak-en-us", "espeak-ar" })
        {
            var outcome = await RunAsync(voice, text).WaitAsync(HangGuard);
            Assert.True(outcome is TextInputException || outcome is long { } samples && samples > 0, $"{name} / {voice}: {outcome}");
        }
        Assert.Equal(restarts, fixture.Runtime.Pool.WorkerRestarts);
    }

    [Theory]
    [InlineData("espeak-ar", "مرحبا بالعالم. كيف حالك اليوم؟")]
    [InlineData("espeak-he", "שלום עולם. מה שלומך היום?")]
    public async Task Right_to_left_text_is_spoken_by_voices_of_its_language(string voice, string text)
    {
        var outcome = await RunAsync(voice, text);
        Assert.True(outcome is long { } samples && samples > 16000 / 2, $"{voice}: {outcome}");
    }

    [Fact]
    public async Task Text_an_english_voice_cannot_read_gives_no_crash_and_no_restart()
    {
        var restarts = fixture.Runtime.Pool.WorkerRestarts;
        foreach (var voice in new[] { "emily-en-us", "flite-kal16" })
        {
            // A typed refusal, audible speech, or (flite-kal16 today: it reads none of these letters) the engine's edge
            // silence, a fraction of a second at 16 kHz; anything longer is silence passed off as speech.
            var outcome = await RunAsync(voice, "שלום עולם. مرحبا بالعالم.").WaitAsync(HangGuard);
            Assert.True(outcome is TextInputException || outcome is long { } samples && samples > 0 || outcome is Silence { Samples: <= 16000 / 4 },
                $"{voice}: {outcome}");
        }
        Assert.Equal(restarts, fixture.Runtime.Pool.WorkerRestarts);
    }

    [Fact]
    public async Task Deeply_nested_ssml_is_refused_with_a_message_that_names_the_problem()
    {
        var nested = string.Concat(Enumerable.Repeat("<p>", 500)) + "deep" + string.Concat(Enumerable.Repeat("</p>", 500));
        var outcome = await RunAsync("espeak-en-us", $"<speak>{nested}</speak>");
        var error = Assert.IsType<TextInputException>(outcome);
        Assert.Contains("deep", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_break_longer_than_ten_seconds_is_clamped_to_ten()
    {
        var plain = Assert.IsType<long>(await RunAsync("flite-kal16", "<speak>Hi there</speak>", rate: 8000));
        var paused = Assert.IsType<long>(await RunAsync("flite-kal16", "<speak>Hi <break time=\"60s\"/> there</speak>", rate: 8000));
        // The break splits the text into two engine calls, each with the engine's own edge silence (a few hundred ms).
        Assert.InRange((paused - plain) / 8000.0, 9.9, 10.6);
    }

    [Fact]
    public async Task A_hundred_thousand_characters_stream_until_the_output_cap()
    {
        var capped = new Synthesizer(WorkerEngine.ForAll(fixture.Runtime.Pool), new TextFrontEnd(new TextFrontEndOptions()),
            new SynthesisOptions { MaxOutputDuration = TimeSpan.FromSeconds(30) });
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog 123. ", 2100))[..100_000];
        var plan = capped.Prepare(new SynthesisRequest { Text = text, Voice = "espeak-en-us", SampleRate = 8000 });
        long samples = 0;
        await foreach (var chunk in plan.StreamAsync().WithCancellation(CancellationToken.None)) samples += chunk.Samples.Length;
        Assert.Equal(30 * 8000, samples);
        Assert.Throws<TextInputException>(() => capped.Prepare(new SynthesisRequest { Text = text + "x", Voice = "espeak-en-us" }));
    }

    private async Task<object> RunAsync(string voice, string text, int rate = 16000)
    {
        SynthesisPlan plan;
        try
        {
            plan = fixture.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voice, SampleRate = rate });
        }
        catch (TextInputException e)
        {
            return e;
        }
        long samples = 0;
        var silent = true;
        await foreach (var chunk in plan.StreamAsync())
        {
            samples += chunk.Samples.Length;
            silent &= AudioChunkIsSilent(chunk);
        }
        return text.Contains("<break", StringComparison.Ordinal) || !silent ? samples : new Silence(samples);
    }

    /// <summary>An outcome of only silence, with its length.</summary>
    private sealed record Silence(long Samples);

    private static bool AudioChunkIsSilent(AudioChunk chunk) => chunk.Samples.All(s => Math.Abs(s) < 1e-3f);
}
