using System.Text.Json.Nodes;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>What the Piper engine hands its graph, read back from the generated graphs' revealing output.</summary>
[Collection(PiperCollection.Name)]
public sealed class PiperEngineTests(PiperFixture fixture)
{
    private const string Single = "piper-en-us-reveal-medium";

    [Fact]
    public void Voices_are_named_from_the_file_stem_and_one_per_speaker()
    {
        var voices = fixture.Engine.Voices.ToDictionary(v => v.Id);
        Assert.Equal(["piper-en-gb-chorus-low-alice", "piper-en-gb-chorus-low-bob", "piper-en-gb-chorus-low-carol", Single],
            voices.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(voices.Values, v => Assert.Equal(("piper", 22050, VoiceQuality.Neural), (v.Engine, v.SampleRate, v.Quality)));
        Assert.Equal("en-US", voices[Single].Language);
        Assert.Equal("en-GB", voices["piper-en-gb-chorus-low-bob"].Language);
        Assert.All(fixture.Report, r => Assert.True(r.Loaded, r.Reason));
    }

    [Fact]
    public async Task The_configs_scales_arrive_exactly_and_the_output_length_follows_length_scale()
    {
        var revealed = await RevealAsync(Single, "Hello.");
        AssertScales(revealed, 0.667f, 1f, 0.8f);
        Assert.Equal(4, revealed.Repeats);
    }

    [Theory]
    [InlineData(2.0, 0.5f, 2)]
    [InlineData(0.5, 2f, 8)]
    [InlineData(1.25, 0.8f, 4)]
    public async Task Speed_divides_length_scale(double speed, float lengthScale, int repeats)
    {
        var revealed = await RevealAsync(Single, "Hello.", speed);
        AssertScales(revealed, 0.667f, lengthScale, 0.8f);
        Assert.Equal(repeats, revealed.Repeats);
    }

    [Theory]
    [InlineData("piper-en-gb-chorus-low-alice", 0)]
    [InlineData("piper-en-gb-chorus-low-bob", 1)]
    [InlineData("piper-en-gb-chorus-low-carol", 2)]
    public async Task Each_speaker_voice_sends_its_sid_to_a_rank_four_output_graph(string voice, long sid)
    {
        var chunks = await PiperKit.SynthesizeAsync(fixture.Engine, PiperKit.Request(voice, "Hello, world."));
        var revealed = PiperKit.Read(Assert.Single(chunks).Samples, multiSpeaker: true);
        Assert.Equal(sid, revealed.Speaker);
        Assert.Equal(PiperPhonemeIdsTests.Reference["Hello, world."][0].Length, revealed.Ids.Length);
    }

    [Fact]
    public async Task Word_timings_come_from_w_ceil_when_the_graph_gives_it()
    {
        var folder = PiperKit.ModelsFolder(PiperKit.Timed);
        try
        {
            var (engine, report) = await PiperKit.LoadAsync(folder, fixture.Pool);
            await using var _ = engine!;
            Assert.True(engine!.Capabilities.WordEvents);
            Assert.False(fixture.Engine.Capabilities.WordEvents); // the reveal and chorus graphs have no w_ceil
            var chunks = await PiperKit.SynthesizeAsync(engine, PiperKit.Request("piper-en-us-timed-medium", "Hello, world. Thank you!"));
            // One 256-sample frame per id: "Hello" starts at id 2 (after ^ _), "world" at id 18 (after "h … ʊ _ , _ ␠ _");
            // "Thank" at 2 and "you" at 14 of the second sentence's ids ("θ ˈ æ ŋ k ␠", each with its pad, take 2-13).
            Assert.Equal(2, chunks.Count);
            Assert.Equal([("Hello", 2 * 256L), ("world", 18 * 256L)], chunks[0].Words.Select(w => (w.Word, w.SampleOffset)).ToArray());
            Assert.Equal([("Thank", 2 * 256L), ("you", 14 * 256L)], chunks[1].Words.Select(w => (w.Word, w.SampleOffset)).ToArray());
            Assert.Equal(PiperPhonemeIdsTests.Reference["Hello, world."][0].Length * 256, chunks[0].Samples.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Volume_scales_the_graphs_output()
    {
        var chunk = Assert.Single(await PiperKit.SynthesizeAsync(fixture.Engine, PiperKit.Request(Single, "Hello, world.", volume: 0.5)));
        var revealed = PiperKit.Read(chunk.Samples, multiSpeaker: false, gain: 0.5);
        Assert.Equal(PiperPhonemeIdsTests.Reference["Hello, world."][0], revealed.Ids);
    }

    [Fact]
    public async Task Config_inference_values_and_phoneme_type_text_are_used()
    {
        var folder = Directory.CreateTempSubdirectory("cw-models-").FullName;
        try
        {
            PiperKit.AddVoice(folder, "tuned", c => c["inference"] = new JsonObject { ["noise_scale"] = 0.333, ["length_scale"] = 1.25, ["noise_w"] = 0.444 });
            PiperKit.AddVoice(folder, "letters", c =>
            {
                c["phoneme_type"] = "text";
                c["phoneme_id_map"] = new JsonObject { ["_"] = new JsonArray(0), ["^"] = new JsonArray(1), ["$"] = new JsonArray(2), ["a"] = new JsonArray(7), ["b"] = new JsonArray(9) };
            });
            var (engine, report) = await PiperKit.LoadAsync(folder, fixture.Pool);
            Assert.All(report, r => Assert.True(r.Loaded, r.Reason));
            await using var _ = engine!;

            var tuned = PiperKit.Read(Assert.Single(await PiperKit.SynthesizeAsync(engine!, PiperKit.Request("piper-tuned", "Hi.", 0.5))).Samples, false);
            AssertScales(tuned, 0.333f, 2.5f, 0.444f);
            Assert.Equal(10, tuned.Repeats);

            // Text type: the text's own code points; c is not in the map, so it is skipped and counted.
            var before = engine!.UnknownPhonemes;
            var letters = PiperKit.Read(Assert.Single(await PiperKit.SynthesizeAsync(engine, PiperKit.Request("piper-letters", "abcab"))).Samples, false);
            Assert.Equal(new long[] { 1, 0, 7, 0, 9, 0, 7, 0, 9, 0, 2 }, letters.Ids);
            Assert.Equal(before + 1, engine.UnknownPhonemes);

            var allUnknown = await Assert.ThrowsAsync<EngineException>(() => PiperKit.SynthesizeAsync(engine, PiperKit.Request("piper-letters", "xyz")));
            Assert.Equal(EngineErrorKind.InvalidRequest, allUnknown.Kind);
            Assert.Contains("phoneme map", allUnknown.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_removed_while_running_is_unavailable_and_the_others_still_speak()
    {
        var folder = PiperKit.ModelsFolder(PiperKit.Reveal, PiperKit.Chorus);
        try
        {
            var (engine, _) = await PiperKit.LoadAsync(folder, fixture.Pool);
            await using var __ = engine!;
            File.Delete(Path.Combine(folder, PiperKit.Reveal + ".onnx"));
            var gone = await Assert.ThrowsAsync<EngineException>(() => PiperKit.SynthesizeAsync(engine!, PiperKit.Request(Single, "Hello.")));
            Assert.Equal(EngineErrorKind.Unavailable, gone.Kind);
            Assert.Single(await PiperKit.SynthesizeAsync(engine!, PiperKit.Request("piper-en-gb-chorus-low-bob", "Hello.")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Cancellation_stops_before_the_next_sentence()
    {
        using var cts = new CancellationTokenSource();
        var count = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in fixture.Engine.SynthesizeAsync(PiperKit.Request(Single, "One. Two. Three."), cts.Token))
            {
                count++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, count);
    }

    private static void AssertScales(PiperKit.Revealed revealed, float noiseScale, float lengthScale, float noiseW)
    {
        Assert.Equal(noiseScale, revealed.NoiseScale, 5);
        Assert.Equal(lengthScale, revealed.LengthScale, 5);
        Assert.Equal(noiseW, revealed.NoiseW, 5);
    }

    private async Task<PiperKit.Revealed> RevealAsync(string voice, string text, double speed = 1.0) =>
        PiperKit.Read(Assert.Single(await PiperKit.SynthesizeAsync(fixture.Engine, PiperKit.Request(voice, text, speed))).Samples, false);
}
