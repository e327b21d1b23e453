using System.Text.Json.Nodes;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>
/// The generated Kokoro graphs (tests/models/kokoro/generate.py) and how to read what they reveal: their output is
/// [speed/10, N/1000, style[0], style[1]] then each token id/1000 repeated ceil(4 / speed) times; the voice pack's row r
/// starts [r/1000, marker] (af_test 0.01, bm_test 0.02).
/// </summary>
internal static class KokoroKit
{
    public const string V019 = "kokoro-v0_19", Community = "kokoro-community", Hexgrad = "kokoro-hexgrad", Mismatch = "kokoro-mismatch",
        Timed = "kokoro-timed";

    public const string American = "kokoro-af-test", British = "kokoro-bm-test";

    // "Hello, world." as `espeak-ng -q --ipa -v en-us` prints it (həlˈoʊ / wˈɜːld), with the clause marks put back,
    // through Kokoro's vocabulary: h ə l ˈ o ʊ , ␠ w ˈ ɜ ː l d .
    public static readonly long[] HelloWorldUs = [50, 83, 54, 156, 57, 135, 3, 16, 65, 156, 87, 158, 54, 46, 4];

    // The same with -v en-gb (həlˈəʊ / wˈɜːld): h ə l ˈ ə ʊ , ␠ w ˈ ɜ ː l d .
    public static readonly long[] HelloWorldGb = [50, 83, 54, 156, 83, 135, 3, 16, 65, 156, 87, 158, 54, 46, 4];

    public static string Source(string file) => Path.Combine(AppContext.BaseDirectory, "models", "kokoro", file);

    /// <summary>A models folder holding one Kokoro model folder <c>kokoro/</c> with <paramref name="graph"/>, the config and voices.npz.</summary>
    public static (string Models, string Folder) ModelsFolder(string graph = V019)
    {
        var models = Directory.CreateTempSubdirectory("cw-kokoro-").FullName;
        var folder = Path.Combine(models, "kokoro");
        AddModel(folder, graph);
        return (models, folder);
    }

    /// <summary>Writes a Kokoro model folder at <paramref name="folder"/>; <paramref name="editConfig"/> may change the config.</summary>
    public static void AddModel(string folder, string graph, Action<JsonObject>? editConfig = null, bool npz = true)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Source(graph + ".onnx"), Path.Combine(folder, graph + ".onnx"));
        var config = JsonNode.Parse(File.ReadAllText(Source("config.json")))!.AsObject();
        editConfig?.Invoke(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        if (npz) File.Copy(Source("voices.npz"), Path.Combine(folder, "voices.npz"));
    }

    /// <summary>Writes voices/<paramref name="name"/>.bin: 510 rows of 256 float32, row r starting [r/1000, marker], as raw bytes.</summary>
    public static void AddBinVoice(string folder, string name, float marker)
    {
        var values = new float[KokoroVoicePack.Rows * KokoroVoicePack.Width];
        for (var r = 0; r < KokoroVoicePack.Rows; r++)
        {
            values[r * KokoroVoicePack.Width] = r / 1000f;
            values[r * KokoroVoicePack.Width + 1] = marker;
        }
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        Directory.CreateDirectory(Path.Combine(folder, "voices"));
        File.WriteAllBytes(Path.Combine(folder, "voices", name + ".bin"), bytes);
    }

    public static Task<(KokoroEngine? Engine, IReadOnlyList<ModelStatus> Report)> LoadAsync(string models, EngineWorkerPool pool) =>
        KokoroModelLoader.LoadAsync(models, new OnnxSessionFactory(new OnnxOptions()), pool);

    public static EngineRequest Request(string voice, string text, double rate = 1.0, double volume = 1.0) =>
        new(voice, text, new Prosody(rate, 1.0, volume));

    public static async Task<List<AudioChunk>> SynthesizeAsync(ISpeechEngine engine, EngineRequest request)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in engine.SynthesizeAsync(request, CancellationToken.None)) chunks.Add(chunk);
        return chunks;
    }

    /// <summary>What one graph call revealed: the speed, the style row's first two values, the token ids (pads included) and each id's run length.</summary>
    public sealed record Revealed(float Speed, int StyleRow, float Marker, long[] Ids, int Repeats);

    public static Revealed Read(float[] samples, double gain = 1.0)
    {
        var s = samples.Select(v => v / gain).ToArray();
        var length = (int)Math.Round(s[1] * 1000);
        var body = s[4..];
        Assert.True(body.Length % length == 0, $"The body ({body.Length} samples) is not {length} equal runs.");
        var repeats = body.Length / length;
        var ids = new long[length];
        for (var i = 0; i < length; i++)
        {
            var run = body.AsSpan(i * repeats, repeats).ToArray();
            Assert.All(run, v => Assert.Equal(run[0], v));
            ids[i] = (long)Math.Round(run[0] * 1000);
        }
        return new Revealed((float)(s[0] * 10), (int)Math.Round(s[2] * 1000), (float)Math.Round(s[3], 4), ids, repeats);
    }

    /// <summary>The ids a chunk of <paramref name="tokens"/> reaches the graph as: the pad 0 at both ends.</summary>
    public static long[] Padded(long[] tokens) => [0, .. tokens, 0];
}
