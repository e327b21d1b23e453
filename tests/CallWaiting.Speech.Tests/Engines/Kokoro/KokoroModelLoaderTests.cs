using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Tests.Engines.Piper;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>Kokoro model folders are told apart from Piper voices, their packs read from .bin files and .npz archives, and bad folders skipped with a reason.</summary>
[Collection(KokoroCollection.Name)]
public sealed class KokoroModelLoaderTests(KokoroFixture fixture)
{
    [Fact]
    public async Task Bin_files_and_npz_entries_are_voices_and_a_bin_file_wins_over_the_archive()
    {
        var (models, folder) = KokoroKit.ModelsFolder(KokoroKit.Community);
        try
        {
            KokoroKit.AddBinVoice(folder, "af_bin", 0.03f);
            KokoroKit.AddBinVoice(folder, "bm_test", 0.05f);
            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            var status = Assert.Single(report);
            Assert.True(status.Loaded, status.Reason);
            Assert.Equal(Path.Combine(folder, KokoroKit.Community + ".onnx"), status.File);
            Assert.Equal(["kokoro-af-bin", "kokoro-bm-test", KokoroKit.American], status.Voices);
            Assert.Equal(new[] { 0.03f, 0.05f, 0.01f }, await Task.WhenAll(status.Voices.Select(async v =>
                KokoroKit.Read(Assert.Single(await KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(v, "Hello, world."))).Samples).Marker)));
            Assert.All(engine!.Voices, v => Assert.Equal((KokoroEngine.EngineName, 24000, VoiceQuality.Neural), (v.Engine, v.SampleRate, v.Quality)));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public async Task Every_bad_folder_is_skipped_with_its_reason_and_piper_leaves_kokoro_graphs_alone()
    {
        var models = Directory.CreateTempSubdirectory("cw-kokoro-").FullName;
        try
        {
            KokoroKit.AddModel(Path.Combine(models, "good"), KokoroKit.V019);
            KokoroKit.AddModel(Path.Combine(models, "good-again"), KokoroKit.V019);
            KokoroKit.AddModel(Path.Combine(models, "no-vocab"), KokoroKit.V019, c => c.Remove("vocab"));
            var shortStyle = Path.Combine(models, "short-style");
            KokoroKit.AddModel(shortStyle, KokoroKit.V019, npz: false);
            Directory.CreateDirectory(Path.Combine(shortStyle, "voices"));
            File.WriteAllBytes(Path.Combine(shortStyle, "voices", "af_short.bin"), new byte[1024]);
            var badShape = Path.Combine(models, "bad-shape");
            KokoroKit.AddModel(badShape, KokoroKit.V019, npz: false);
            WriteNpz(Path.Combine(badShape, "voices.npz"), "af_small", Npy("(10, 1, 256)", 10 * 256));
            KokoroKit.AddModel(Path.Combine(models, "renamed"), KokoroKit.Mismatch);
            var twoGraphs = Path.Combine(models, "two-graphs");
            KokoroKit.AddModel(twoGraphs, KokoroKit.V019);
            File.Copy(KokoroKit.Source(KokoroKit.Hexgrad + ".onnx"), Path.Combine(twoGraphs, "other.onnx"));
            foreach (var file in new[] { "en_US-reveal-medium.onnx", "en_US-reveal-medium.onnx.json" })
                File.Copy(PiperKit.Source(file), Path.Combine(models, file));

            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            var reasons = report.Where(r => !r.Loaded).ToDictionary(r => Path.GetRelativePath(models, r.File).Split(Path.DirectorySeparatorChar)[0], r => r.Reason!);
            Assert.Contains("config.json has no vocab", reasons["no-vocab"]);
            Assert.Contains("af_short.bin is 1024 bytes, not 522240", reasons["short-style"]);
            Assert.Contains("af_small.npy has shape (10, 1, 256), not (510, 1, 256)", reasons["bad-shape"]);
            Assert.Contains("input-name mismatch", reasons["renamed"]);
            Assert.Contains("'input_ids'", reasons["renamed"]);
            Assert.Contains("2 graphs", reasons["two-graphs"]);
            Assert.Contains("voice id 'kokoro-af-test' is already taken", reasons["good-again"]);
            Assert.Equal(6, reasons.Count);
            var good = Assert.Single(report, r => r.Loaded);
            Assert.Equal([KokoroKit.American, KokoroKit.British], good.Voices);
            Assert.Single(await KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(KokoroKit.American, "Hi.")));

            // Piper sees only its own voice: no Kokoro graph is reported as a Piper model without a config.
            var (piper, piperReport) = await PiperModelLoader.LoadAsync(models, new OnnxSessionFactory(new OnnxOptions()), fixture.Pool);
            await using var __ = piper!;
            var only = Assert.Single(piperReport);
            Assert.True(only.Loaded, only.Reason);
            Assert.Equal("en_US-reveal-medium.onnx", Path.GetFileName(only.File));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_vocab_in_config_json_the_vocab_of_tokenizer_json_is_used_its_pad_left_out()
    {
        var models = Directory.CreateTempSubdirectory("cw-kokoro-").FullName;
        try
        {
            // onnx-community's layout: config.json names the model type, tokenizer.json's model.vocab maps the symbols (pad $ = 0).
            JsonObject? vocab = null;
            KokoroKit.AddModel(Path.Combine(models, "community"), KokoroKit.Community, c =>
            {
                vocab = c["vocab"]!.DeepClone().AsObject();
                c.Remove("vocab");
                c["model_type"] = "style_text_to_speech_2";
            });
            vocab!["$"] = 0;
            File.WriteAllText(Path.Combine(models, "community", "tokenizer.json"),
                new JsonObject { ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab } }.ToJsonString());
            KokoroKit.AddModel(Path.Combine(models, "no-model-vocab"), KokoroKit.Community, c => c.Remove("vocab"));
            File.WriteAllText(Path.Combine(models, "no-model-vocab", "tokenizer.json"), """{"model": {"type": "BPE"}}""");

            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;

            var loaded = Assert.Single(report, r => r.Loaded);
            Assert.Equal("community", Path.GetFileName(Path.GetDirectoryName(loaded.File)));
            Assert.Contains("config.json has no vocab, nor has tokenizer.json a model.vocab", Assert.Single(report, r => !r.Loaded).Reason);
            var chunk = Assert.Single(await KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(KokoroKit.American, "Hello, world.")));
            Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldUs), KokoroKit.Read(chunk.Samples).Ids);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public void A_folder_is_kokoros_with_config_json_and_voices_or_voices_npz()
    {
        var root = Directory.CreateTempSubdirectory("cw-kokoro-").FullName;
        try
        {
            var a = Directory.CreateDirectory(Path.Combine(root, "a")).FullName;
            File.WriteAllText(Path.Combine(a, "config.json"), "{}");
            Assert.False(KokoroModelLoader.IsModelFolder(a));
            Directory.CreateDirectory(Path.Combine(a, "voices"));
            Assert.True(KokoroModelLoader.IsModelFolder(a));
            var b = Directory.CreateDirectory(Path.Combine(root, "nested", "b")).FullName;
            File.WriteAllText(Path.Combine(b, "voices.npz"), "");
            Assert.False(KokoroModelLoader.IsModelFolder(b));
            File.WriteAllText(Path.Combine(b, "config.json"), "{}");
            Assert.Equal([a, b], KokoroModelLoader.FindFolders(root));
            Assert.True(KokoroModelLoader.IsInside(Path.Combine(b, "onnx", "model.onnx"), [a, b]));
            Assert.False(KokoroModelLoader.IsInside(b + "-other.onnx", [a, b]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Npy_headers_are_read_and_other_layouts_refused()
    {
        var (shape, values) = NpyArray.ReadFloat32(Npy("(2, 3)", 6, fill: 1.5f));
        Assert.Equal([2, 3], shape);
        Assert.All(values, v => Assert.Equal(1.5f, v));
        var v2 = Npy("(4,)", 4, version: 2);
        Assert.Equal([4], NpyArray.ReadFloat32(v2).Shape);
        Assert.Contains("Fortran order", Assert.Throws<InvalidDataException>(() => NpyArray.ReadFloat32(Npy("(4,)", 4, fortran: true))).Message);
        Assert.Contains("not little-endian float32 (<f8)", Assert.Throws<InvalidDataException>(() => NpyArray.ReadFloat32(Npy("(2,)", 4, descr: "<f8"))).Message);
        Assert.Contains("has 12 bytes of data, not 16", Assert.Throws<InvalidDataException>(() => NpyArray.ReadFloat32(Npy("(4,)", 3))).Message);
        Assert.Contains("not a numpy .npy array", Assert.Throws<InvalidDataException>(() => NpyArray.ReadFloat32("PK\u0003\u0004 not npy"u8)).Message);
    }

    // numpy's format: magic, version, header length, a dict literal padded with spaces to 64 bytes and ended by \n.
    private static byte[] Npy(string shape, int count, float fill = 0f, int version = 1, bool fortran = false, string descr = "<f4")
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        var prefix = version == 1 ? 10 : 12;
        var header = dict.PadRight((prefix + dict.Length + 1 + 63) / 64 * 64 - prefix - 1) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, .. "NUMPY"u8, (byte)version, 0]);
        if (version == 1) stream.Write(BitConverter.GetBytes((ushort)header.Length));
        else stream.Write(BitConverter.GetBytes((uint)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        for (var i = 0; i < count; i++) stream.Write(BitConverter.GetBytes(fill));
        return stream.ToArray();
    }

    private static void WriteNpz(string path, string name, byte[] npy)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
        entry.Write(npy);
    }
}
