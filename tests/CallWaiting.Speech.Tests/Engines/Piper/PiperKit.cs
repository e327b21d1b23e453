using System.Text.Json.Nodes;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>
/// The generated Piper graphs (tests/models/piper/generate.py) and how to read what they reveal: their output is
/// [noise_scale/10, length_scale/10, noise_w/10, input_lengths/1000, (sid/100)] then each id/1000 repeated
/// ceil(4 × length_scale) times.
/// </summary>
internal static class PiperKit
{
    public const string Reveal = "en_US-reveal-medium", Chorus = "en_GB-chorus-low", Timed = "en_US-timed-medium", Mismatch = "mismatch";

    public static string Source(string file) => Path.Combine(AppContext.BaseDirectory, "models", "piper", file);

    /// <summary>A fresh models folder holding copies of the named voices (both files each).</summary>
    public static string ModelsFolder(params string[] stems)
    {
        var folder = Directory.CreateTempSubdirectory("cw-models-").FullName;
        foreach (var stem in stems)
        {
            File.Copy(Source(stem + ".onnx"), Path.Combine(folder, stem + ".onnx"));
            File.Copy(Source(stem + ".onnx.json"), Path.Combine(folder, stem + ".onnx.json"));
        }
        return folder;
    }

    /// <summary>Writes <paramref name="stem"/>.onnx (a copy of <paramref name="graph"/>) with the reveal voice's config as edited.</summary>
    public static void AddVoice(string folder, string stem, Action<JsonObject> edit, string graph = Reveal)
    {
        File.Copy(Source(graph + ".onnx"), Path.Combine(folder, stem + ".onnx"));
        var config = JsonNode.Parse(File.ReadAllText(Source(Reveal + ".onnx.json")))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(folder, stem + ".onnx.json"), config.ToJsonString());
    }

    public static Task<(PiperEngine? Engine, IReadOnlyList<ModelStatus> Report)> LoadAsync(string folder, EngineWorkerPool pool) =>
        PiperModelLoader.LoadAsync(folder, new OnnxSessionFactory(new OnnxOptions()), pool);

    public static EngineRequest Request(string voice, string text, double rate = 1.0, double volume = 1.0) =>
        new(voice, text, new Prosody(rate, 1.0, volume));

    public static async Task<List<AudioChunk>> SynthesizeAsync(ISpeechEngine engine, EngineRequest request)
    {
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in engine.SynthesizeAsync(request, CancellationToken.None)) chunks.Add(chunk);
        return chunks;
    }

    /// <summary>What one graph call revealed.</summary>
    public sealed record Revealed(float NoiseScale, float LengthScale, float NoiseW, long InputLength, long? Speaker, long[] Ids, int Repeats);

    /// <summary>Decodes one graph call's output (one chunk); <paramref name="gain"/> undoes a volume applied after the graph.</summary>
    public static Revealed Read(float[] samples, bool multiSpeaker, double gain = 1.0)
    {
        var s = samples.Select(v => v / gain).ToArray();
        var header = multiSpeaker ? 5 : 4;
        var length = (long)Math.Round(s[3] * 1000);
        var body = s[header..];
        Assert.True(body.Length % length == 0, $"The body ({body.Length} samples) is not {length} equal runs.");
        var repeats = (int)(body.Length / length);
        var ids = new long[length];
        for (var i = 0; i < length; i++)
        {
            var run = body.AsSpan(i * repeats, repeats).ToArray();
            Assert.All(run, v => Assert.Equal(run[0], v));
            ids[i] = (long)Math.Round(run[0] * 1000);
        }
        return new Revealed((float)(s[0] * 10), (float)(s[1] * 10), (float)(s[2] * 10), length,
            multiSpeaker ? (long)Math.Round(s[4] * 100) : null, ids, repeats);
    }
}
