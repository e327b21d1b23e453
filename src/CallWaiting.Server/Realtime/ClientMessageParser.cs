using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Parses client messages (UTF-8 JSON objects) by hand, so that every malformed or hostile message becomes a
/// <see cref="RealtimeProtocolException"/> naming the problem (close 1008), never a serializer exception.
/// </summary>
public static class ClientMessageParser
{
    private const int MaxDepth = 8;
    private const int MaxStreamSidLength = 64;

    // Twilio's own events that an app may forward; only clear needs action.
    private static readonly HashSet<string> IgnoredTwilioEvents = new(StringComparer.Ordinal) { "connected", "start", "media", "mark", "dtmf", "stop" };

    /// <summary>
    /// Formats a session may use: those whose encoder can flush at the end of every utterance and still write one stream
    /// (wav sends its header once; mp3 and opus end each utterance on a frame boundary). Not flac, which cannot flush.
    /// </summary>
    public static IReadOnlyList<AudioFormat> Formats { get; } =
        [AudioFormat.Pcm16, AudioFormat.Wav, AudioFormat.Mulaw, AudioFormat.Alaw, AudioFormat.Mp3, AudioFormat.Opus];

    /// <summary>Parses one message; the first message of a session must be the config (<paramref name="configured"/> false).</summary>
    public static ClientMessage Parse(ReadOnlySpan<byte> utf8, bool configured)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != utf8.Length && utf8[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
                throw Policy("Malformed message: unexpected data after the JSON value.");
        }
        catch (JsonException)
        {
            throw Policy("Malformed message: every message must be one JSON object.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Policy("Malformed message: every message must be one JSON object.");
            try
            {
                return configured ? ParseCommand(root) : new ClientMessage(ClientMessageKind.Config, Config: ParseConfig(root));
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString refuses escapes that decode to invalid UTF-16 (lone surrogates).
                throw Policy("Malformed message: a string holds an invalid escape sequence.");
            }
        }
    }

    private static ClientMessage ParseCommand(JsonElement root)
    {
        if (root.TryGetProperty("voice_id", out _)) throw Policy("The session is already configured; send the config message only once.");
        if (Optional(root, "event") is { } e)
        {
            var name = e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Policy("Field 'event' must be a string.");
            if (name == "clear") return new ClientMessage(ClientMessageKind.Clear);
            return IgnoredTwilioEvents.Contains(name) ? new ClientMessage(ClientMessageKind.Ignored) : throw Policy($"Unknown event '{Shorten(name)}'.");
        }

        var flush = Flag(root, "flush");
        if (Flag(root, "close")) return new ClientMessage(ClientMessageKind.Close);
        if (Flag(root, "clear")) return new ClientMessage(ClientMessageKind.Clear);
        if (Optional(root, "text") is { } t)
        {
            if (t.ValueKind != JsonValueKind.String) throw Policy("Field 'text' must be a string.");
            return new ClientMessage(ClientMessageKind.Text, t.GetString(), flush);
        }

        return flush ? new ClientMessage(ClientMessageKind.Flush)
            : throw Policy("Unrecognized message: send {\"text\":…}, {\"flush\":true}, {\"clear\":true} or {\"close\":true}.");
    }

    private static SessionConfig ParseConfig(JsonElement root)
    {
        if (!root.TryGetProperty("voice_id", out var voice) || voice.ValueKind == JsonValueKind.Null)
        {
            throw Policy(root.TryGetProperty("text", out _) || root.TryGetProperty("flush", out _)
                ? "Text before config: the first message must be the config, with voice_id."
                : "The first message must be the config, with voice_id.");
        }

        if (voice.ValueKind != JsonValueKind.String || voice.GetString()!.Trim() is not { Length: > 0 and <= 200 } voiceId)
            throw Policy("Field 'voice_id' must be a voice UUID or slug.");

        var mode = SessionMode.Default;
        if (Optional(root, "mode") is { } m)
        {
            mode = m.ValueKind == JsonValueKind.String ? m.GetString() switch
            {
                "default" => SessionMode.Default,
                "twilio" => SessionMode.Twilio,
                _ => throw Policy("Field 'mode' must be \"default\" or \"twilio\"."),
            } : throw Policy("Field 'mode' must be \"default\" or \"twilio\".");
        }

        var twilio = mode == SessionMode.Twilio;
        var format = twilio ? AudioFormat.Mulaw : AudioFormat.Pcm16;
        if (Optional(root, "format") is { } f)
        {
            if (f.ValueKind != JsonValueKind.String || !AudioFormats.TryParse(f.GetString(), out format) || !Formats.Contains(format))
                throw Policy($"Field 'format' must be one of: {string.Join(", ", Formats.Select(AudioFormats.Name))}.");
            if (twilio && format != AudioFormat.Mulaw) throw Policy("Twilio mode sends μ-law only; omit 'format' or send \"ulaw\".");
        }

        var sampleRate = AudioFormats.DefaultSampleRate(format) ?? 24000;
        if (Optional(root, "sample_rate") is { } r)
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out sampleRate) || !AudioFormats.IsSupportedSampleRate(format, sampleRate))
            {
                var rates = AudioFormats.SupportedSampleRates(format);
                throw Policy(rates.Count == 0
                    ? $"Field 'sample_rate' must be an integer from {SynthesisOptions.MinSampleRate} to {SynthesisOptions.MaxSampleRate}."
                    : $"Field 'sample_rate' must be one of {string.Join(", ", rates)} for {AudioFormats.Name(format)}.");
            }
            if (twilio && sampleRate != 8000) throw Policy("Twilio mode sends 8000 Hz only; omit 'sample_rate' or send 8000.");
        }

        var speed = 1.0;
        if (Optional(root, "speed") is { } s
            && (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out speed) || !double.IsFinite(speed) || speed < SynthesisOptions.MinSpeed || speed > SynthesisOptions.MaxSpeed))
            throw Policy($"Field 'speed' must be a number from {SynthesisOptions.MinSpeed} to {SynthesisOptions.MaxSpeed}.");

        string? streamSid = null;
        if (Optional(root, "stream_sid") is { } sid)
        {
            if (!twilio) throw Policy("Field 'stream_sid' belongs to mode \"twilio\".");
            streamSid = sid.ValueKind == JsonValueKind.String ? sid.GetString() : null;
            if (streamSid is not { Length: > 0 and <= MaxStreamSidLength } || !streamSid.All(char.IsAsciiLetterOrDigit))
                throw Policy($"Field 'stream_sid' must be 1 to {MaxStreamSidLength} ASCII letters and digits (Twilio's MZ… stream SID).");
        }
        else if (twilio)
        {
            throw Policy("Twilio mode needs 'stream_sid', the streamSid of the Twilio stream.");
        }

        var realtime = twilio;
        if (Optional(root, "pacing") is { } p)
        {
            if (!twilio) throw Policy("Field 'pacing' belongs to mode \"twilio\".");
            realtime = p.ValueKind == JsonValueKind.String ? p.GetString() switch
            {
                "realtime" => true,
                "fast" => false,
                _ => throw Policy("Field 'pacing' must be \"realtime\" or \"fast\"."),
            } : throw Policy("Field 'pacing' must be \"realtime\" or \"fast\".");
        }

        return new SessionConfig(voiceId, format, sampleRate, speed, mode, streamSid, realtime);
    }

    private static bool Flag(JsonElement root, string name) => Optional(root, name) is { } value && value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Policy($"Field '{name}' must be true or false."),
    };

    // An absent or null field takes its default.
    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";

    private static RealtimeProtocolException Policy(string message) => new(WebSocketCloseStatus.PolicyViolation, message);
}
