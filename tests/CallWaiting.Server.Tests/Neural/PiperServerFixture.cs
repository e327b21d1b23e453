using System.Text.Json.Nodes;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Neural;

/// <summary>
/// One real server (embedded SQLite, no Redis) whose models folder holds the generated Piper voices
/// (tests/models/piper), a voice the tests delete while the server runs, a text-type voice that knows only "a" and
/// "b", and a corrupt model that must be skipped; beside them a Kokoro model folder (the onnx-community graph and the
/// generated voices.npz, tests/models/kokoro), hexgrad's int32-speed export with one raw voice (af_whole.bin, all
/// zeros), the export with per-token durations with one raw voice (af_timed.bin), and a Kokoro folder without a vocab
/// that must be skipped. The OpenAI voice name <see cref="OpenAiKokoro"/>
/// is mapped to the Kokoro voice kokoro-af-test.
/// </summary>
public sealed class PiperServerFixture : IAsyncLifetime
{
    public const string Reveal = "piper-en-us-reveal-medium", Doomed = "piper-en-us-doomed-medium", Letters = "piper-letters";

    /// <summary>An OpenAI voice name this server maps to kokoro-af-test.</summary>
    public const string OpenAiKokoro = "heart";

    public string Models { get; } = Directory.CreateTempSubdirectory("cw-server-models-").FullName;

    /// <summary>The Kokoro model folder that loads.</summary>
    public string KokoroFolder => Path.Combine(Models, "kokoro-v1");

    public ServerProcess Server { get; private set; } = null!;

    public Uri WebSocketUri => new($"ws://{Server.BaseAddress.Authority}/v1/tts/ws");

    public async Task InitializeAsync()
    {
        Copy("en_US-reveal-medium", "en_US-reveal-medium");
        Copy("en_GB-chorus-low", "en_GB-chorus-low");
        Copy("en_US-reveal-medium", "en_US-doomed-medium");
        Copy("en_US-timed-medium", "en_US-timed-medium");
        File.Copy(Source("en_US-reveal-medium.onnx"), Path.Combine(Models, "letters.onnx"));
        var letters = JsonNode.Parse(File.ReadAllText(Source("en_US-reveal-medium.onnx.json")))!.AsObject();
        letters["phoneme_type"] = "text";
        letters["phoneme_id_map"] = new JsonObject { ["_"] = new JsonArray(0), ["^"] = new JsonArray(1), ["$"] = new JsonArray(2), ["a"] = new JsonArray(7), ["b"] = new JsonArray(9) };
        File.WriteAllText(Path.Combine(Models, "letters.onnx.json"), letters.ToJsonString());
        File.WriteAllText(Path.Combine(Models, "corrupt.onnx"), "this is not a protobuf");
        File.Copy(Source("en_US-reveal-medium.onnx.json"), Path.Combine(Models, "corrupt.onnx.json"));
        AddKokoro(KokoroFolder, "kokoro-community", withVocab: true);
        AddKokoro(Path.Combine(Models, "kokoro-broken"), "kokoro-v0_19", withVocab: false);
        AddKokoroWholeSpeed(Path.Combine(Models, "kokoro-hexgrad"));
        AddKokoroTimed(Path.Combine(Models, "kokoro-timed"));

        Server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_MODELS_DIR"] = Models,
            ["CALLWAITING_Onnx__MaxConcurrencyPerModel"] = "2",
            [$"CALLWAITING_OpenAi__Voices__{OpenAiKokoro}"] = "kokoro-af-test",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Models, recursive: true);
    }

    private static string Source(string file) => Path.Combine(AppContext.BaseDirectory, "models", "piper", file);

    /// <summary>Writes a Kokoro model folder: the generated <paramref name="graph"/>, voices.npz and config.json (without its vocab unless <paramref name="withVocab"/>).</summary>
    internal static void AddKokoro(string folder, string graph, bool withVocab)
    {
        static string Kokoro(string file) => Path.Combine(AppContext.BaseDirectory, "models", "kokoro", file);
        Directory.CreateDirectory(folder);
        File.Copy(Kokoro(graph + ".onnx"), Path.Combine(folder, graph + ".onnx"));
        File.Copy(Kokoro("voices.npz"), Path.Combine(folder, "voices.npz"));
        var config = JsonNode.Parse(File.ReadAllText(Kokoro("config.json")))!.AsObject();
        if (!withVocab) config.Remove("vocab");
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
    }

    private static void AddKokoroWholeSpeed(string folder)
    {
        AddKokoro(folder, "kokoro-hexgrad", withVocab: true);
        File.Delete(Path.Combine(folder, "voices.npz"));
        Directory.CreateDirectory(Path.Combine(folder, "voices"));
        File.WriteAllBytes(Path.Combine(folder, "voices", "af_whole.bin"), new byte[510 * 256 * sizeof(float)]);
    }

    // The export with per-token durations, with one raw voice (af_timed.bin, all zeros).
    private static void AddKokoroTimed(string folder)
    {
        AddKokoro(folder, "kokoro-timed", withVocab: true);
        File.Delete(Path.Combine(folder, "voices.npz"));
        Directory.CreateDirectory(Path.Combine(folder, "voices"));
        File.WriteAllBytes(Path.Combine(folder, "voices", "af_timed.bin"), new byte[510 * 256 * sizeof(float)]);
    }

    private void Copy(string from, string to)
    {
        File.Copy(Source(from + ".onnx"), Path.Combine(Models, to + ".onnx"));
        File.Copy(Source(from + ".onnx.json"), Path.Combine(Models, to + ".onnx.json"));
    }
}

[CollectionDefinition(Name)]
public sealed class PiperServerCollection : ICollectionFixture<PiperServerFixture>
{
    public const string Name = "Piper server";
}
