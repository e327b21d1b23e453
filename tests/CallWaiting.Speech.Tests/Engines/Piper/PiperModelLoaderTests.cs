using System.Text.Json.Nodes;
using CallWaiting.Speech.Engines.Piper;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>Bad model files are skipped with a reason naming what is wrong, and the good voices beside them still load and speak.</summary>
[Collection(PiperCollection.Name)]
public sealed class PiperModelLoaderTests(PiperFixture fixture)
{
    [Fact]
    public async Task Every_bad_model_is_reported_with_its_reason_and_the_good_one_speaks()
    {
        var folder = PiperKit.ModelsFolder(PiperKit.Reveal);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "corrupt.onnx"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);
            File.Copy(PiperKit.Source(PiperKit.Reveal + ".onnx.json"), Path.Combine(folder, "corrupt.onnx.json"));
            PiperKit.AddVoice(folder, "not-piper", c =>
            {
                foreach (var key in c.Select(p => p.Key).ToArray()) c.Remove(key);
                c["model_type"] = "kokoro";
            });
            File.Copy(PiperKit.Source(PiperKit.Reveal + ".onnx"), Path.Combine(folder, "broken-json.onnx"));
            File.WriteAllText(Path.Combine(folder, "broken-json.onnx.json"), "{\"audio\": {\"sample_rate\": 22050,");
            PiperKit.AddVoice(folder, "no-bos", c => c["phoneme_id_map"]!.AsObject().Remove("^"));
            PiperKit.AddVoice(folder, "renamed", _ => { }, graph: PiperKit.Mismatch);
            PiperKit.AddVoice(folder, "klingon", c => c["espeak"] = new JsonObject { ["voice"] = "tlh-nope" });
            PiperKit.AddVoice(folder, "pinyin", c => c["phoneme_type"] = "pinyin");
            File.Copy(PiperKit.Source(PiperKit.Reveal + ".onnx"), Path.Combine(folder, "lonely.onnx"));

            var (engine, report) = await PiperKit.LoadAsync(folder, fixture.Pool);
            await using var _ = engine!;
            var reasons = report.Where(r => !r.Loaded).ToDictionary(r => Path.GetFileName(r.File), r => r.Reason!);
            Assert.Contains("corrupt or unreadable ONNX file", reasons["corrupt.onnx"]);
            Assert.Contains("not a Piper config", reasons["not-piper.onnx"]);
            Assert.Contains("bad JSON", reasons["broken-json.onnx"]);
            Assert.Contains("phoneme_id_map has no '^'", reasons["no-bos.onnx"]);
            Assert.Contains("input-name mismatch", reasons["renamed.onnx"]);
            Assert.Contains("'input'", reasons["renamed.onnx"]);
            Assert.Contains("unknown espeak voice 'tlh-nope'", reasons["klingon.onnx"]);
            Assert.Contains("phoneme_type 'pinyin' is not supported", reasons["pinyin.onnx"]);
            Assert.Contains("lonely.onnx.json is missing", reasons["lonely.onnx"]);
            Assert.Equal(8, reasons.Count);

            var good = Assert.Single(report, r => r.Loaded);
            Assert.Equal(["piper-en-us-reveal-medium"], good.Voices);
            var chunk = Assert.Single(await PiperKit.SynthesizeAsync(engine!, PiperKit.Request("piper-en-us-reveal-medium", "Hello, world.")));
            Assert.Equal(PiperPhonemeIdsTests.Reference["Hello, world."][0], PiperKit.Read(chunk.Samples, false).Ids);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_replaced_model_gets_a_new_model_version_for_the_cache_key()
    {
        var folder = PiperKit.ModelsFolder(PiperKit.Reveal);
        try
        {
            var first = await VersionAsync(folder);
            Assert.Equal(first, await VersionAsync(folder));
            var config = Path.Combine(folder, PiperKit.Reveal + ".onnx.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("0.667", "0.5", StringComparison.Ordinal));
            Assert.NotEqual(first, await VersionAsync(folder));
            var graph = Path.Combine(folder, PiperKit.Reveal + ".onnx");
            var second = await VersionAsync(folder);
            File.SetLastWriteTimeUtc(graph, File.GetLastWriteTimeUtc(graph).AddMinutes(1));
            Assert.NotEqual(second, await VersionAsync(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string?> VersionAsync(string folder)
    {
        var (engine, _) = await PiperKit.LoadAsync(folder, fixture.Pool);
        await using var _ = engine!;
        return Assert.Single(engine!.Voices).ModelVersion;
    }

    [Fact]
    public async Task A_missing_or_empty_folder_loads_no_engine()
    {
        var (engine, report) = await PiperKit.LoadAsync(Path.Combine(Path.GetTempPath(), "cw-no-such-models-" + Guid.NewGuid()), fixture.Pool);
        Assert.Null(engine);
        Assert.Empty(report);
    }

    [Theory]
    [InlineData("en_US-lessac-medium", "piper-en-us-lessac-medium")]
    [InlineData("de_DE-thorsten--high", "piper-de-de-thorsten-high")]
    [InlineData("Voice (v2)!", "piper-voice-v2")]
    public void Slugs_lowercase_the_stem_with_runs_of_other_characters_as_one_dash(string stem, string slug) =>
        Assert.Equal(slug, PiperModelLoader.Slug(stem));
}
