using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>
/// Text through the real espeak-ng worker to the generated Kokoro graphs: the exact tokens with their pads, the style
/// row for each chunk's length from the right voice, the speed as each export takes it, and chunking of long text.
/// </summary>
[Collection(KokoroCollection.Name)]
public sealed class KokoroEngineTests(KokoroFixture fixture)
{
    [Fact]
    public async Task Hello_world_reaches_the_graph_as_espeaks_ipa_through_the_vocab_with_the_row_for_its_length()
    {
        var chunk = Assert.Single(await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, "Hello, world.")));
        Assert.Equal(24000, chunk.SampleRate);
        var revealed = KokoroKit.Read(chunk.Samples);
        Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldUs), revealed.Ids);
        Assert.Equal(KokoroKit.HelloWorldUs.Length, revealed.StyleRow); // tokens without the pads
        Assert.Equal(0.01f, revealed.Marker);
        Assert.Equal(1f, revealed.Speed);
        Assert.Equal(4, revealed.Repeats);
    }

    [Fact]
    public async Task A_british_voice_is_phonemized_with_en_gb_and_uses_its_own_pack()
    {
        var revealed = KokoroKit.Read(Assert.Single(await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.British, "Hello, world."))).Samples);
        Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldGb), revealed.Ids);
        Assert.Equal(0.02f, revealed.Marker);
        var voice = Assert.Single(fixture.Engine.Voices, v => v.Id == KokoroKit.British);
        Assert.Equal(("en-GB", VoiceGender.Male, 24000), (voice.Language, voice.Gender, voice.SampleRate));
    }

    [Fact]
    public async Task Each_sentence_is_one_graph_call_with_the_row_for_its_own_length()
    {
        var chunks = await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, "Is it ready? Yes!"));
        Assert.Equal(2, chunks.Count);
        var first = KokoroKit.Read(chunks[0].Samples);
        var second = KokoroKit.Read(chunks[1].Samples);
        Assert.Equal(KokoroKit.Padded([102, 68, 16, 102, 62, 16, 123, 156, 86, 46, 51, 6]), first.Ids);
        Assert.Equal(KokoroKit.Padded([52, 156, 86, 61, 5]), second.Ids);
        Assert.Equal((12, 5), (first.StyleRow, second.StyleRow));
    }

    [Fact]
    public async Task A_sentence_over_509_tokens_is_spoken_in_chunks_cut_at_commas()
    {
        var text = string.Concat(Enumerable.Repeat("hello there, ", 45)) + "goodbye.";
        var chunks = (await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, text))).Select(c => KokoroKit.Read(c.Samples)).ToArray();
        Assert.True(chunks.Length >= 2, $"{chunks.Length} chunk(s)");
        Assert.All(chunks, c =>
        {
            Assert.InRange(c.Ids.Length - 2, 1, 509);
            Assert.Equal(c.Ids.Length - 2, c.StyleRow);
            Assert.Equal((0, 0), (c.Ids[0], c.Ids[^1]));
        });
        Assert.All(chunks[..^1], c => Assert.Equal(3, c.Ids[^2])); // every chunk but the last ends at a comma
        Assert.Equal(4, chunks[^1].Ids[^2]);
        Assert.Equal(45, chunks.Sum(c => c.Ids.Count(t => t == 3)));
    }

    [Theory]
    [InlineData(KokoroKit.V019, 1.5, 3)]
    [InlineData(KokoroKit.V019, 0.5, 8)]
    [InlineData(KokoroKit.Community, 1.5, 3)]
    [InlineData(KokoroKit.Hexgrad, 2.0, 2)]
    [InlineData(KokoroKit.Hexgrad, 1.0, 4)]
    public async Task The_speed_reaches_each_export_as_its_type(string graph, double speed, int repeats)
    {
        var (models, _) = KokoroKit.ModelsFolder(graph);
        try
        {
            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            Assert.True(Assert.Single(report).Loaded, report[0].Reason);
            var revealed = KokoroKit.Read(Assert.Single(await KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(KokoroKit.American, "Hello, world.", speed))).Samples);
            Assert.Equal((float)speed, revealed.Speed);
            Assert.Equal(repeats, revealed.Repeats);
            Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldUs), revealed.Ids);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public async Task The_int32_speed_export_refuses_a_fractional_speed_as_a_bad_request()
    {
        var (models, _) = KokoroKit.ModelsFolder(KokoroKit.Hexgrad);
        try
        {
            var (engine, _) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            var refused = await Assert.ThrowsAsync<EngineException>(() => KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(KokoroKit.American, "Hello.", 1.5)));
            Assert.Equal(EngineErrorKind.InvalidRequest, refused.Kind);
            Assert.Contains("whole-number speeds only", refused.Message);
            Assert.Contains("1.5", refused.Message);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public async Task Volume_scales_the_graphs_output()
    {
        var chunk = Assert.Single(await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, "Hello, world.", volume: 0.5)));
        Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldUs), KokoroKit.Read(chunk.Samples, gain: 0.5).Ids);
        Assert.Equal(0.05f, chunk.Samples[0], 5); // speed 1 → 0.1, halved
    }

    [Fact]
    public async Task A_text_whose_phonemes_are_all_outside_the_vocab_is_a_bad_request_and_a_removed_model_is_unavailable()
    {
        var models = Directory.CreateTempSubdirectory("cw-kokoro-").FullName;
        var tiny = Path.Combine(models, "tiny");
        var full = Path.Combine(models, "full");
        try
        {
            KokoroKit.AddModel(tiny, KokoroKit.V019, c => c["vocab"] = new System.Text.Json.Nodes.JsonObject { ["ʘ"] = 7 });
            KokoroKit.AddModel(full, KokoroKit.V019, npz: false);
            KokoroKit.AddBinVoice(full, "af_full", 0.03f);
            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            Assert.All(report, r => Assert.True(r.Loaded, r.Reason));
            var before = engine!.UnknownPhonemes;
            var none = await Assert.ThrowsAsync<EngineException>(() => KokoroKit.SynthesizeAsync(engine, KokoroKit.Request(KokoroKit.American, "Hello.")));
            Assert.Equal(EngineErrorKind.InvalidRequest, none.Kind);
            Assert.Contains("vocabulary", none.Message);
            Assert.True(engine.UnknownPhonemes > before);

            File.Delete(Path.Combine(full, KokoroKit.V019 + ".onnx"));
            var gone = await Assert.ThrowsAsync<EngineException>(() => KokoroKit.SynthesizeAsync(engine, KokoroKit.Request("kokoro-af-full", "Hello.")));
            Assert.Equal(EngineErrorKind.Unavailable, gone.Kind);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
