namespace CallWaiting.Server.Tests.Tts;

/// <summary>Independent decoding of API audio for the Tts and Cache tests: sox for every format but Opus, opusdec/opusinfo for Opus.</summary>
internal static class TtsTestAudio
{
    /// <summary>Decodes <paramref name="audio"/> in the API format <paramref name="format"/>; headerless formats are read at <paramref name="rate"/>.</summary>
    public static async Task<ServerAudio.Stats> DecodeAsync(byte[] audio, string format, int rate)
    {
        switch (format)
        {
            case "pcm16": return await ServerAudio.AnalyzeRawAsync(audio, "raw", rate);
            case "ulaw": return await ServerAudio.AnalyzeRawAsync(audio, "ul", rate);
            case "alaw": return await ServerAudio.AnalyzeRawAsync(audio, "al", rate);
            case "opus":
                var (decoded, streamRate) = await ServerAudio.AnalyzeOpusAsync(audio);
                return decoded with { SampleRate = streamRate };
            default: return await ServerAudio.AnalyzeAsync(audio, format);
        }
    }

    /// <summary>The bitrate soxi reports for an MP3 (e.g. "32.0k").</summary>
    public static async Task<string> Mp3BitrateAsync(byte[] audio)
    {
        var path = await WriteAsync(audio, "mp3");
        try
        {
            return (await ServerAudio.RunToolAsync("soxi", ["-B", path])).Trim();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> WriteAsync(byte[] audio, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-tts-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, audio);
        return path;
    }
}
