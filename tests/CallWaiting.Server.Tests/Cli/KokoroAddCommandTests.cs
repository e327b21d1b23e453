using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Neural;

namespace CallWaiting.Server.Tests.Cli;

/// <summary>
/// `callwaiting models add FOLDER` with the repo's generated Kokoro files: a folder the server's loader accepts is
/// installed under its own name with exactly the files the loader reads (byte for byte), then listed and spoken with
/// the exact tokens; a folder it refuses, one already installed, or one whose voice another folder has, changes
/// nothing in the models folder.
/// </summary>
public sealed class KokoroAddCommandTests : IDisposable
{
    private const string Name = "kokoro-mine";
    private readonly string _root = Directory.CreateTempSubdirectory("cw-kokoro-add-").FullName;

    private string Models => Path.Combine(_root, "models");

    private string Incoming => Path.Combine(_root, "incoming", Name);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Add_installs_the_files_the_loader_reads_and_list_and_say_then_use_them()
    {
        PiperServerFixture.AddKokoro(Incoming, "kokoro-community", withVocab: true);
        File.WriteAllText(Path.Combine(Incoming, "README.md"), "not part of the model");

        var add = await RunAsync("models", "add", Incoming + "/");

        Assert.True(add.ExitCode == 0, add.StandardError);
        Assert.Contains($"added {Name}: kokoro-af-test, kokoro-bm-test", add.StandardOutput);
        Assert.Equal([Name], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName));
        var installed = Path.Combine(Models, Name);
        Assert.Equal(["config.json", "kokoro-community.onnx", "voices.npz"], Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in new[] { "config.json", "kokoro-community.onnx", "voices.npz" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(Incoming, file)), File.ReadAllBytes(Path.Combine(installed, file)));

        var list = await RunAsync("models", "list", "--json");
        Assert.True(list.ExitCode == 0, list.StandardError);
        var row = Assert.Single(JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray());
        Assert.Equal((Name, "kokoro", "loaded"), (row.GetProperty("name").GetString(), row.GetProperty("engine").GetString(), row.GetProperty("status").GetString()));

        var wav = Path.Combine(_root, "out.wav");
        var say = await RunAsync("say", "Hello, world.", "--voice", "kokoro-af-test", "-o", wav);
        Assert.True(say.ExitCode == 0, say.StandardError);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await File.ReadAllBytesAsync(wav));
        Assert.Equal(24000, rate);
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), KokoroServerTests.HelloWorld, 4);

        // Adding the same folder again is refused, and the installed one is left as it was.
        var again = await RunAsync("models", "add", Incoming);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already installed", again.StandardError);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Incoming, "voices.npz")), File.ReadAllBytes(Path.Combine(installed, "voices.npz")));
        Assert.Equal([Name], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName));

        // Another folder with one of its voices: the server would skip it, so add refuses it.
        var twin = Path.Combine(_root, "incoming", "kokoro-twin");
        PiperServerFixture.AddKokoro(twin, "kokoro-v0_19", withVocab: true);
        var clash = await RunAsync("models", "add", twin);
        Assert.Equal(1, clash.ExitCode);
        Assert.Contains("the voice kokoro-af-test is already installed", clash.StandardError);
        Assert.Equal([Name], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("mismatch", "input-name mismatch")]
    [InlineData("no-vocab", "no vocab")]
    [InlineData("two-graphs", "keep one, or name it model.onnx")]
    [InlineData("no-voices", "is not a Kokoro model folder")]
    [InlineData("corrupt-pack", "voices.npz is not a numpy .npz archive")]
    public async Task Add_refuses_a_folder_the_loader_would_skip_and_leaves_nothing(string fault, string reason)
    {
        PiperServerFixture.AddKokoro(Incoming, fault == "mismatch" ? "kokoro-mismatch" : "kokoro-community", withVocab: fault != "no-vocab");
        if (fault == "two-graphs") File.Copy(Path.Combine(Incoming, "kokoro-community.onnx"), Path.Combine(Incoming, "other.onnx"));
        if (fault == "no-voices") File.Delete(Path.Combine(Incoming, "voices.npz"));
        if (fault == "corrupt-pack") File.WriteAllBytes(Path.Combine(Incoming, "voices.npz"), [0x50, 0x4b, 1, 2]);

        var add = await RunAsync("models", "add", Incoming);

        Assert.Equal(2, add.ExitCode);
        Assert.Contains(reason, add.StandardError);
        Assert.False(Directory.Exists(Models) && Directory.GetFileSystemEntries(Models).Length > 0,
            "left behind: " + string.Join(", ", Directory.Exists(Models) ? Directory.GetFileSystemEntries(Models) : []));
    }

    private Task<ServerCli.Result> RunAsync(params string[] args) => ServerCli.RunAsync(new Dictionary<string, string?>
    {
        ["CALLWAITING_MODELS_DIR"] = Models,
        ["CALLWAITING_DATA_DIR"] = Path.Combine(_root, "data"),
    }, args);
}
