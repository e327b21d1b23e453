using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Neural;

/// <summary>The Onnx settings are checked before the server starts, and `say` loads the same models folder as the server.</summary>
public sealed class PiperStartupTests
{
    [Fact]
    public async Task An_unknown_execution_provider_stops_serve_with_the_settings_message()
    {
        var data = Directory.CreateTempSubdirectory("cw-onnx-bad-").FullName;
        try
        {
            var result = await ServerCli.RunAsync(new Dictionary<string, string?>
            {
                ["CALLWAITING_DATA_DIR"] = data,
                ["CALLWAITING_Onnx__Provider"] = "tpu",
            }, "serve", "--urls", "http://127.0.0.1:0");
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Onnx:Provider must be cpu or cuda, not 'tpu'", result.StandardOutput + result.StandardError);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Say_speaks_a_piper_voice_from_CALLWAITING_MODELS_DIR()
    {
        var models = Directory.CreateTempSubdirectory("cw-say-models-").FullName;
        var output = Path.Combine(models, "out.wav");
        try
        {
            foreach (var file in new[] { "en_US-reveal-medium.onnx", "en_US-reveal-medium.onnx.json" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, "models", "piper", file), Path.Combine(models, file));
            var result = await ServerCli.RunAsync(new Dictionary<string, string?> { ["CALLWAITING_MODELS_DIR"] = models },
                "say", "Hello, world.", "--voice", "piper-en-us-reveal-medium", "-o", output);
            Assert.True(result.ExitCode == 0, result.StandardError);
            var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await File.ReadAllBytesAsync(output));
            Assert.Equal(22050, rate);
            RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 10, 0, 2], 4);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
