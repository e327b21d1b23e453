using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Audio sent as one complete file (stream:false, the JSON of /v1/tts/with-timestamps, Twilio's audio URLs): renderings
/// and the cache hold the streamed form, whose WAV header says "length unknown", so a whole-file answer gets a copy
/// with the true lengths, which strict readers need. Other formats are the same either way.
/// </summary>
internal static class WholeFile
{
    /// <summary>The audio as a complete file of <paramref name="format"/>.</summary>
    public static ReadOnlyMemory<byte> Of(ReadOnlyMemory<byte> audio, AudioFormat format)
    {
        if (format != AudioFormat.Wav) return audio;
        var file = audio.ToArray();
        using (var stream = new MemoryStream(file, writable: true)) AudioStreaming.FinalizeFile(stream, format);
        return file;
    }
}
