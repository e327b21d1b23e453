using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Neural;

namespace CallWaiting.Server.Tests.Cli;

/// <summary>
/// `callwaiting models` against a voice repository on loopback (<see cref="VoiceRepositoryServer"/>) and the repo's
/// generated Piper voices and Kokoro files: what it installs, the server's loader loads and `say` speaks; what it
/// refuses leaves nothing.
/// </summary>
public sealed class ModelsCommandTests : IAsyncLifetime
{
    private const string Key = "en_US-reveal-medium", Slug = "piper-en-us-reveal-medium";
    private readonly string _root = Directory.CreateTempSubdirectory("cw-models-").FullName;
    private VoiceRepositoryServer _repository = null!;

    private string Models => Path.Combine(_root, "models");

    public Task InitializeAsync()
    {
        _repository = VoiceRepositoryServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _repository.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Pull_installs_a_voice_from_the_repository_layout_that_list_and_say_then_use()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        var graphPath = _repository.Publish(Key, graph, config);

        // The base URL comes from the setting, as an operator's mirror would.
        var pull = await RunAsync(new() { ["CALLWAITING_Models__BaseUrl"] = _repository.BaseUrl }, "models", "pull", "piper:" + Key);

        Assert.True(pull.ExitCode == 0, pull.StandardError);
        Assert.Contains(Slug, pull.StandardOutput);
        Assert.Equal(["voices.json", graphPath + ".json", graphPath], _repository.Requests.Select(r => r.Path));
        AssertInstalledExactly(graph, config);

        var list = await RunAsync([], "models", "list", "--json");
        Assert.True(list.ExitCode == 0, list.StandardError);
        var row = Assert.Single(JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray());
        Assert.Equal(Key, row.GetProperty("name").GetString());
        Assert.Equal("loaded", row.GetProperty("status").GetString());
        Assert.Equal([Slug], row.GetProperty("voices").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("en-US", row.GetProperty("language").GetString());
        Assert.Equal("medium", row.GetProperty("quality").GetString());
        Assert.Equal(22050, row.GetProperty("sample_rate").GetInt32());
        Assert.Equal(graph.Length, row.GetProperty("size_bytes").GetInt64());

        var wav = Path.Combine(_root, "out.wav");
        var say = await RunAsync([], "say", "Hello, world.", "--voice", Slug, "-o", wav);
        Assert.True(say.ExitCode == 0, say.StandardError);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await File.ReadAllBytesAsync(wav));
        Assert.Equal(22050, rate);
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 10, 0, 2], 4);
    }

    [Fact]
    public async Task A_connection_dropped_halfway_is_resumed_with_a_range_and_ends_byte_identical()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        var graphPath = _repository.Publish(Key, graph, config);
        _repository.DropsLeft = 1;

        var pull = await PullAsync(Key);

        Assert.True(pull.ExitCode == 0, pull.StandardError);
        Assert.Equal([null, $"bytes={graph.Length / 2}-"], _repository.Requests.Where(r => r.Path == graphPath).Select(r => r.Range));
        AssertInstalledExactly(graph, config);
    }

    [Fact]
    public async Task A_pull_that_keeps_failing_keeps_only_its_part_and_the_next_pull_resumes_it()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        var graphPath = _repository.Publish(Key, graph, config);
        _repository.DropsLeft = 100;

        var failed = await PullAsync(Key);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("run the same command to resume", failed.StandardError);
        Assert.Empty(Directory.GetFiles(Models, "*.onnx"));
        var part = await File.ReadAllBytesAsync(Path.Combine(Models, Key + ".onnx.part"));
        Assert.InRange(part.Length, 1, graph.Length - 1);
        Assert.Equal(graph[..part.Length], part);

        _repository.DropsLeft = 0;
        var resumed = await PullAsync(Key);

        Assert.True(resumed.ExitCode == 0, resumed.StandardError);
        Assert.Equal($"bytes={part.Length}-", _repository.Requests.Last(r => r.Path == graphPath).Range);
        AssertInstalledExactly(graph, config);
    }

    [Theory]
    [InlineData("md5", "checksum mismatch")]
    [InlineData("size", "size mismatch")]
    public async Task A_file_that_differs_from_the_manifest_is_refused_and_leaves_nothing_in_the_folder(string listed, string reason)
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        _repository.Publish(Key, graph, config, listedGraphMd5: listed == "md5" ? new string('0', 32) : null,
            listedGraphSize: listed == "size" ? graph.Length + 1 : null);

        var pull = await PullAsync(Key);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains(reason, pull.StandardError);
        Assert.Contains("nothing was installed", pull.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    [Fact]
    public async Task A_verified_download_that_the_loader_refuses_is_not_installed()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key, graphFile: "mismatch.onnx");
        _repository.Publish(Key, graph, config);

        var pull = await PullAsync(Key);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("input-name mismatch", pull.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    [Fact]
    public async Task An_unknown_voice_or_source_is_bad_input()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        _repository.Publish(Key, graph, config);

        var unknown = await PullAsync("en_US-nobody-medium");
        var source = await RunAsync([], "models", "pull", "espeak:en");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no voice 'en_US-nobody-medium'", unknown.StandardError);
        Assert.Equal(2, source.ExitCode);
        Assert.Contains("piper:NAME", source.StandardError);
        Assert.False(Directory.Exists(Models) && Directory.GetFileSystemEntries(Models).Length > 0);
    }

    [Theory]
    [InlineData("corrupt", "corrupt or unreadable ONNX file")]
    [InlineData("mismatch", "input-name mismatch")]
    [InlineData("no-bos", "phoneme_id_map has no '^'")]
    public async Task Add_refuses_an_unusable_voice_and_leaves_nothing(string fault, string reason)
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key, graphFile: fault == "mismatch" ? "mismatch.onnx" : null);
        if (fault == "corrupt") graph = [.. graph[..(graph.Length / 2)]];
        var text = System.Text.Encoding.UTF8.GetString(config);
        if (fault == "no-bos") text = text.Replace("\"^\":", "\"caret\":", StringComparison.Ordinal);
        var source = WriteVoice(Path.Combine(_root, "incoming"), "en_US-broken-medium", graph, System.Text.Encoding.UTF8.GetBytes(text));

        var add = await RunAsync([], "models", "add", source);

        Assert.Equal(2, add.ExitCode);
        Assert.Contains(reason, add.StandardError);
        Assert.Contains("nothing was installed", add.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    [Fact]
    public async Task Add_installs_list_reports_skipped_models_and_remove_deletes_by_slug_or_stem()
    {
        var (graph, config) = VoiceRepositoryServer.GeneratedVoice(Key);
        var add = await RunAsync([], "models", "add", WriteVoice(Path.Combine(_root, "incoming"), Key, graph, config));
        Assert.True(add.ExitCode == 0, add.StandardError);
        AssertInstalledExactly(graph, config);
        // Dropped in by hand, as the server would find it: listed as skipped, with the loader's reason.
        WriteVoice(Models, "broken", [1, 2, 3], config);

        var list = await RunAsync([], "models", "list");

        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Matches($@"{Key}\s+piper\s+loaded\s+en-US\s+medium\s+22050\s+1\.2 KB\s+{Slug}", list.StandardOutput);
        Assert.Matches(@"broken\s+piper\s+skipped", list.StandardOutput);
        Assert.Contains("skipped: corrupt or unreadable ONNX file", list.StandardOutput);
        Assert.Contains("2 models, 1 loaded", list.StandardOutput);

        var bySlug = await RunAsync([], "models", "remove", Slug);
        var byStem = await RunAsync([], "models", "remove", "broken");
        var unknown = await RunAsync([], "models", "remove", "broken");

        Assert.True(bySlug.ExitCode == 0, bySlug.StandardError);
        Assert.True(byStem.ExitCode == 0, byStem.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no model 'broken'", unknown.StandardError);
    }

    [Fact]
    public async Task Pull_kokoro_installs_a_folder_from_onnx_communitys_layout_that_list_and_say_then_use()
    {
        var published = _repository.PublishKokoro();

        // The hub comes from the setting, as an operator's mirror would.
        var pull = await RunAsync(new() { ["CALLWAITING_Models__HubUrl"] = _repository.BaseUrl }, "models", "pull", "kokoro:af_test,bm_test");

        Assert.True(pull.ExitCode == 0, pull.StandardError);
        Assert.Contains("kokoro-af-test, kokoro-bm-test", pull.StandardOutput);
        Assert.Equal([$"api/models/{Repo}/tree/main", .. new[] { "config.json", "tokenizer.json", "voices/af_test.bin", "voices/bm_test.bin", "onnx/model.onnx" }
            .Select(f => $"{Repo}/resolve/main/{f}")], _repository.Requests.Select(r => r.Path));
        AssertKokoroInstalledExactly(published, "onnx/model.onnx", "voices/af_test.bin", "voices/bm_test.bin");

        var list = await RunAsync([], "models", "list", "--json");
        Assert.True(list.ExitCode == 0, list.StandardError);
        var row = Assert.Single(JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray());
        Assert.Equal("kokoro-v1.0", row.GetProperty("name").GetString());
        Assert.Equal("kokoro", row.GetProperty("engine").GetString());
        Assert.Equal("loaded", row.GetProperty("status").GetString());
        Assert.Equal(["kokoro-af-test", "kokoro-bm-test"], row.GetProperty("voices").EnumerateArray().Select(v => v.GetString()));

        // The vocabulary came from tokenizer.json (config.json has none): the exact tokens reach the graph.
        var wav = Path.Combine(_root, "kokoro.wav");
        var say = await RunAsync([], "say", "Hello, world.", "--voice", "kokoro-af-test", "-o", wav);
        Assert.True(say.ExitCode == 0, say.StandardError);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await File.ReadAllBytesAsync(wav));
        Assert.Equal(24000, rate);
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), KokoroServerTests.HelloWorld, 4);

        var again = await RunAsync([], "models", "pull", "kokoro:af_test", "--base-url", _repository.BaseUrl);
        // onnx/model.onnx is Kokoro's graph, not a Piper voice named "model".
        var notPiper = await RunAsync([], "models", "remove", "model");
        var removed = await RunAsync([], "models", "remove", "kokoro-v1.0");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already installed", again.StandardError);
        Assert.Equal(2, notPiper.ExitCode);
        Assert.True(removed.ExitCode == 0, removed.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    [Fact]
    public async Task A_dropped_kokoro_graph_download_is_resumed_and_graph_picks_the_variant()
    {
        var published = _repository.PublishKokoro();
        _repository.DropsLeft = 1;

        var pull = await RunAsync([], "models", "pull", "kokoro:af_test", "--graph", "model_quantized.onnx", "--base-url", _repository.BaseUrl);

        Assert.True(pull.ExitCode == 0, pull.StandardError);
        var graph = published["onnx/model_quantized.onnx"];
        Assert.Equal([null, $"bytes={graph.Length / 2}-"], _repository.Requests.Where(r => r.Path == $"{Repo}/resolve/main/onnx/model_quantized.onnx").Select(r => r.Range));
        Assert.DoesNotContain(_repository.Requests, r => r.Path.EndsWith("/model.onnx", StringComparison.Ordinal) || r.Path.EndsWith("/bm_test.bin", StringComparison.Ordinal));
        AssertKokoroInstalledExactly(published, "onnx/model_quantized.onnx", "voices/af_test.bin");
    }

    [Fact]
    public async Task A_kokoro_pull_that_keeps_failing_keeps_its_parts_out_of_sight_and_the_next_pull_resumes_them()
    {
        var published = _repository.PublishKokoro();
        _repository.DropsLeft = 100;

        var failed = await RunAsync([], "models", "pull", "kokoro:af_test", "--base-url", _repository.BaseUrl);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("run the same command to resume", failed.StandardError);
        Assert.Equal([".kokoro-v1.0.part"], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName));
        var part = await File.ReadAllBytesAsync(Path.Combine(Models, ".kokoro-v1.0.part", "onnx", "model.onnx.part"));
        Assert.InRange(part.Length, 1, published["onnx/model.onnx"].Length - 1);
        var list = await RunAsync([], "models", "list", "--json");
        Assert.Empty(JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray());

        _repository.DropsLeft = 0;
        var resumed = await RunAsync([], "models", "pull", "kokoro:af_test", "--base-url", _repository.BaseUrl);

        Assert.True(resumed.ExitCode == 0, resumed.StandardError);
        Assert.Equal($"bytes={part.Length}-", _repository.Requests.Last(r => r.Path.EndsWith("/onnx/model.onnx", StringComparison.Ordinal)).Range);
        AssertKokoroInstalledExactly(published, "onnx/model.onnx", "voices/af_test.bin");
    }

    [Fact]
    public async Task A_kokoro_file_whose_checksum_differs_from_the_listing_leaves_nothing_installed()
    {
        _repository.PublishKokoro(listedGraphSha256: new string('0', 64));

        var pull = await RunAsync([], "models", "pull", "kokoro:af_test", "--base-url", _repository.BaseUrl);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("model.onnx: checksum mismatch: the listing's SHA-256 is 0000", pull.StandardError);
        Assert.Contains("nothing was installed", pull.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Models));
    }

    [Theory]
    [InlineData("kokoro:af_nobody", "has no voice 'af_nobody'; it has af_test, bm_test")]
    [InlineData("kokoro:", "say which Kokoro voices to pull")]
    [InlineData("kokoro:af_test --graph model_huge.onnx", "has no graph onnx/model_huge.onnx; it has model, model_quantized")]
    public async Task An_unknown_kokoro_voice_or_graph_is_bad_input(string source, string reason)
    {
        _repository.PublishKokoro();

        var pull = await RunAsync([], ["models", "pull", .. source.Split(' '), "--base-url", _repository.BaseUrl]);

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains(reason, pull.StandardError);
        Assert.False(Directory.Exists(Models) && Directory.GetFileSystemEntries(Models).Length > 0);
    }

    private const string Repo = VoiceRepositoryServer.KokoroRepository;

    private void AssertKokoroInstalledExactly(IReadOnlyDictionary<string, byte[]> published, params string[] files)
    {
        var folder = Path.Combine(Models, "kokoro-v1.0");
        string[] expected = ["config.json", "tokenizer.json", .. files];
        Assert.Equal(["kokoro-v1.0"], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal));
        Assert.All(expected, f => Assert.Equal(published[f], File.ReadAllBytes(Path.Combine(folder, f))));
    }

    [Fact]
    public async Task List_and_say_read_the_Onnx_settings_as_the_server_does()
    {
        var wav = Path.Combine(_root, "out.wav");

        var list = await RunAsync(new() { ["CALLWAITING_Onnx__Provider"] = "tpu" }, "models", "list");
        var say = await RunAsync(new() { ["CALLWAITING_Onnx__IntraOpThreads"] = "-1" }, "say", "Hello.", "-o", wav);
        var valid = await RunAsync(new() { ["CALLWAITING_Onnx__IntraOpThreads"] = "1", ["CALLWAITING_Onnx__Provider"] = "CPU" }, "models", "list");

        Assert.Equal(2, list.ExitCode);
        Assert.Contains("invalid configuration: Onnx:Provider must be cpu or cuda, not 'tpu'.", list.StandardError);
        Assert.Equal(2, say.ExitCode);
        Assert.Contains("invalid configuration: Onnx:IntraOpThreads must be between", say.StandardError);
        Assert.False(File.Exists(wav));
        Assert.True(valid.ExitCode == 0, valid.StandardError);
        Assert.Contains("0 models, 0 loaded", valid.StandardOutput);
    }

    private Task<ServerCli.Result> PullAsync(string key) => RunAsync([], "models", "pull", "piper:" + key, "--base-url", _repository.BaseUrl);

    private Task<ServerCli.Result> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        environment["CALLWAITING_MODELS_DIR"] = Models;
        environment["CALLWAITING_DATA_DIR"] = Path.Combine(_root, "data");
        return ServerCli.RunAsync(environment, args);
    }

    private void AssertInstalledExactly(byte[] graph, byte[] config)
    {
        Assert.Equal([Key + ".onnx", Key + ".onnx.json"], Directory.GetFileSystemEntries(Models).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(graph, File.ReadAllBytes(Path.Combine(Models, Key + ".onnx")));
        Assert.Equal(config, File.ReadAllBytes(Path.Combine(Models, Key + ".onnx.json")));
    }

    private static string WriteVoice(string folder, string stem, byte[] graph, byte[] config)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, stem + ".onnx");
        File.WriteAllBytes(path, graph);
        File.WriteAllBytes(path + ".json", config);
        return path;
    }
}
