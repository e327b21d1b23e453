namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>Decodes every response_format of the speech API with independent tools: sox, and opusdec for Ogg Opus (sox has no Opus reader here).</summary>
internal static class OpenAiAudio
{
    /// <summary>Rate, length and loudness of <paramref name="audio"/> in the OpenAI <paramref name="format"/> (pcm is 24 kHz s16le).</summary>
    public static async Task<ServerAudio.Stats> AnalyzeAsync(byte[] audio, string format)
    {
        switch (format)
        {
            case "pcm":
                return await ServerAudio.AnalyzeRawAsync(audio, "raw", 24000);
            case "opus":
                return (await ServerAudio.AnalyzeOpusAsync(audio)).Decoded;
            default:
                return await ServerAudio.AnalyzeAsync(audio, format);
        }
    }

    /// <summary>Asserts one short sentence of speech: about a second or more, and clearly not silence.</summary>
    public static void AssertSpeech(ServerAudio.Stats audio, double minSeconds = 0.8, double maxSeconds = 10)
    {
        Assert.InRange(audio.Seconds, minSeconds, maxSeconds);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude} looks silent");
    }
}
