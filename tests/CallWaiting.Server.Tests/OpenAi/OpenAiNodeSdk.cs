using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>Runs tests/node/openai-sdk/speech.mjs (the official `openai` npm SDK) with `node` against a server.</summary>
internal static class OpenAiNodeSdk
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the script, writing into <paramref name="outDir"/>; fails the test with the script's output unless it exits 0.</summary>
    public static Task RunAsync(Uri baseUrl, string apiKey, string outDir) =>
        NodeScript.RunAsync("openai-sdk", "openai", "speech.mjs", new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = baseUrl.ToString(),
            ["OPENAI_API_KEY"] = apiKey,
            ["OUT_DIR"] = outDir,
        }, Timeout);
}
