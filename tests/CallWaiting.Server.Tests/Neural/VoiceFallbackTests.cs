using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Neural;

/// <summary>
/// A Piper voice whose model is gone, while the server runs or after a restart, is spoken by its configured fallback
/// voice, which the answer names; a voice without one answers 503 engine_unavailable.
/// </summary>
public sealed class VoiceFallbackTests
{
    private const string Spare = "piper-en-us-spare-medium", Lone = "piper-en-us-lone-medium", Fallback = "emily-en-us";

    [Fact]
    public async Task A_voice_whose_model_is_gone_is_spoken_by_its_fallback_which_the_answer_names()
    {
        var models = Directory.CreateTempSubdirectory("cw-fallback-models-").FullName;
        var data = Directory.CreateTempSubdirectory("cw-fallback-data-").FullName;
        try
        {
            foreach (var name in new[] { "en_US-spare-medium", "en_US-lone-medium" })
            {
                File.Copy(Source("en_US-reveal-medium.onnx"), Path.Combine(models, name + ".onnx"));
                File.Copy(Source("en_US-reveal-medium.onnx.json"), Path.Combine(models, name + ".onnx.json"));
            }
            var environment = new Dictionary<string, string?>(ServerProcess.Unthrottled)
            {
                ["CALLWAITING_MODELS_DIR"] = models,
                ["CALLWAITING_DATA_DIR"] = data,
                ["CALLWAITING_BOOTSTRAP_KEY"] = ApiKeyFormat.Generate(),
                [$"CALLWAITING_Voices__Fallbacks__{Spare}"] = Fallback,
            };

            await using (var server = await ServerProcess.StartAsync(environment))
            {
                var (status, headers, _) = await SpeakAsync(server, Spare, "A text the cache must not answer later.");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.False(headers.Contains("X-Voice-Fallback"), "a loaded voice speaks itself");

                // Removed while the server runs: the engine fails, the fallback speaks the same request.
                File.Delete(Path.Combine(models, "en_US-spare-medium.onnx"));
                await AssertSpokenByFallbackAsync(server);
            }

            // After a restart without the models, both voices are still known (stored), but no engine speaks them.
            foreach (var file in Directory.GetFiles(models)) File.Delete(file);
            await using (var restarted = await ServerProcess.StartAsync(environment))
            {
                await AssertSpokenByFallbackAsync(restarted);
                var (status, _, body) = await SpeakAsync(restarted, Lone);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                using var error = JsonDocument.Parse(body);
                Assert.Equal("engine_unavailable", error.RootElement.GetProperty("code").GetString());
                Assert.Contains(Lone, error.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(models, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_voice_named_as_its_own_fallback_stops_serve_naming_the_setting()
    {
        var result = await ServerCli.RunAsync(new Dictionary<string, string?> { [$"CALLWAITING_Voices__Fallbacks__{Fallback}"] = Fallback },
            "serve", "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Voices:Fallbacks:{Fallback} cannot name the voice itself", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    private static async Task AssertSpokenByFallbackAsync(ServerProcess server)
    {
        var (status, headers, audio) = await SpeakAsync(server, Spare);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Fallback, headers.GetValues("X-Voice-Fallback").Single());

        // flite is deterministic: the fallback's answer is exactly what asking for the fallback gives, with its id.
        var (directStatus, directHeaders, direct) = await SpeakAsync(server, Fallback);
        Assert.Equal(HttpStatusCode.OK, directStatus);
        Assert.False(directHeaders.Contains("X-Voice-Fallback"));
        Assert.Equal(directHeaders.GetValues("X-Voice-ID").Single(), headers.GetValues("X-Voice-ID").Single());
        Assert.Equal(direct, audio);
        var decoded = await ServerAudio.AnalyzeAsync(audio, "wav");
        Assert.True(decoded.Seconds > 0.3 && decoded.RmsAmplitude > 0.01, $"{decoded.Seconds} s, RMS {decoded.RmsAmplitude}");
    }

    private static async Task<(HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body)> SpeakAsync(ServerProcess server, string voice,
        string text = "Your call is important to us.")
    {
        using var response = await TtsAsync(server.Client, server.BootstrapKey,
            JsonSerializer.Serialize(new { text, voice_id = voice, format = "wav", sample_rate = 16000 }));
        return (response.StatusCode, response.Headers, await response.Content.ReadAsByteArrayAsync());
    }

    private static string Source(string file) => Path.Combine(AppContext.BaseDirectory, "models", "piper", file);
}
