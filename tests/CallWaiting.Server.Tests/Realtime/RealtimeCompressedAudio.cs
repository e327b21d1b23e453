using CallWaiting.Server.Tests.Infrastructure;

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

        var folder = Directory.CreateTempSubdirectory("cw-ws-opus-").FullName;
        try
        {
            var opus = Path.Combine(folder, "session.opus");
            var wav = Path.Combine(folder, "session.wav");
            await File.WriteAllBytesAsync(opus, audio);
            // opusinfo fails a stream that has not ended yet; it still reports the header.
            var info = await ServerAudio.RunToolAsync("opusinfo", [opus], mayFail: partial);
            if (!partial)
            {
                Assert.DoesNotContain("warning", info, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("error", info, StringComparison.OrdinalIgnoreCase);
            }

            var rateLine = info.Split('\n').Single(l => l.Contains("Original sample rate:", StringComparison.Ordinal));
            var rate = int.Parse(rateLine.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

            await ServerAudio.RunToolAsync("opusdec", ["--quiet", opus, wav]);
            var decoded = await ServerAudio.AnalyzeAsync(await File.ReadAllBytesAsync(wav), "wav");
            return decoded with { SampleRate = rate };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
