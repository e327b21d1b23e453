using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// Writes OpenAI's speech server-sent events: <c>data: {"type":"speech.audio.delta","audio":"&lt;base64&gt;"}</c> per piece of
/// encoded audio and one closing <c>speech.audio.done</c> with usage. The audio is base64-encoded straight into the
/// output buffer (base64 needs no JSON escaping), so a delta costs no intermediate string.
/// </summary>
public static class SpeechSse
{
    /// <summary>The media type of the stream.</summary>
    public const string ContentType = "text/event-stream";

    private static ReadOnlySpan<byte> DeltaPrefix => "data: {\"type\":\"speech.audio.delta\",\"audio\":\""u8;

    private static ReadOnlySpan<byte> DeltaSuffix => "\"}\n\n"u8;

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    /// <summary>Appends one delta event carrying <paramref name="audio"/>; nothing when it is empty.</summary>
    public static void WriteDelta(IBufferWriter<byte> output, ReadOnlySpan<byte> audio)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (audio.IsEmpty) return;
        output.Write(DeltaPrefix);
        var encodedLength = Base64.GetMaxEncodedToUtf8Length(audio.Length);
        var target = output.GetSpan(encodedLength);
        Base64.EncodeToUtf8(audio, target, out _, out var written);
        output.Advance(written);
        output.Write(DeltaSuffix);
    }

    /// <summary>Appends the closing done event.</summary>
    public static void WriteDone(IBufferWriter<byte> output, OpenAiUsage usage)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(output))
            JsonSerializer.Serialize(json, new SpeechAudioDoneEvent("speech.audio.done", usage), OpenAiJson.Default.SpeechAudioDoneEvent);
        output.Write(EventEnd);
    }
}
