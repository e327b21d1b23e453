using System.Buffers;
using System.Text.Json;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Realtime;

/// <summary>Renders the JSON text frames of the default mode (see docs/WEBSOCKET.md); each is a UTF-8 object with a "type".</summary>
internal static class ServerMessages
{
    /// <summary><c>{"type":"ready","voice_id","format","sample_rate","content_type"}</c>: the config was accepted.</summary>
    public static byte[] Ready(Guid voiceId, string format, int sampleRate, string contentType) => Render("ready", w =>
    {
        w.WriteString("voice_id", voiceId);
        w.WriteString("format", format);
        w.WriteNumber("sample_rate", sampleRate);
        w.WriteString("content_type", contentType);
    });

    /// <summary>
    /// <c>{"type":"alignment","words":[{"word","start_ms","end_ms"}]}</c> for the binary frame that follows; times count
    /// from the first audio the session sent. <paramref name="words"/> are timed from the start of their utterance, which
    /// lies at <paramref name="utteranceStartSample"/> in the session's stream.
    /// </summary>
    public static byte[] Alignment(IReadOnlyList<WordTiming> words, long utteranceStartSample, int sampleRate) => Render("alignment", w =>
    {
        var offset = Milliseconds(utteranceStartSample, sampleRate);
        w.WriteStartArray("words");
        foreach (var word in words)
        {
            w.WriteStartObject();
            w.WriteString("word", word.Word);
            w.WriteNumber("start_ms", offset + word.StartMs);
            w.WriteNumber("end_ms", offset + word.EndMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary><c>{"type":"flush_done","characters","audio_ms"}</c>: everything before the flush has been sent.</summary>
    public static byte[] FlushDone(long characters, long audioMs) => Render("flush_done", w =>
    {
        w.WriteNumber("characters", characters);
        w.WriteNumber("audio_ms", audioMs);
    });

    /// <summary><c>{"type":"final","characters","audio_ms"}</c>: the session's totals; the server closes next (1000).</summary>
    public static byte[] Final(long characters, long audioMs) => Render("final", w =>
    {
        w.WriteNumber("characters", characters);
        w.WriteNumber("audio_ms", audioMs);
    });

    /// <summary><c>{"type":"cleared"}</c>: buffered text and unsent audio were dropped.</summary>
    public static byte[] Cleared() => Render("cleared", static _ => { });

    /// <summary><c>{"type":"error","code","message"}</c>: one utterance was skipped; the session goes on.</summary>
    public static byte[] Error(string code, string message) => Render("error", w =>
    {
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    private static long Milliseconds(long samples, int sampleRate) => samples * 1000 / sampleRate;

    private static byte[] Render(string type, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
