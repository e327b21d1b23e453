namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Decodes a WebSocket session's mp3 (sox) or Ogg Opus (opusinfo checks it, opusdec decodes it, sox measures it).</summary>
public static class RealtimeCompressedAudio
{
    /// <summary>
    /// Rate, length and loudness of the stream; for Opus the rate is the one in its OpusHead ("original sample rate"), and
    /// unless <paramref name="partial"/> (a stream still in progress, without its end-of-stream page) opusinfo must find no fault.
    /// </summary>
    public static async Task<ServerAudio.Stats> AnalyzeAsync(byte[] audio, string format, bool partial = false)
    {
        if (format == "mp3") return await ServerAudio.AnalyzeAsync(audio, "mp3");

        var (decoded, rate) = await ServerAudio.AnalyzeOpusAsync(audio, partial);
        return decoded with { SampleRate = rate };
    }
}
