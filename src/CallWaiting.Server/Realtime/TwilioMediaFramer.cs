using System.Buffers;
using System.Text.Json;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Renders Twilio Media Streams messages for one stream: μ-law 8 kHz audio cut into 20 ms media frames of exactly
/// 160 bytes (<c>{"event":"media","streamSid":…,"media":{"payload":base64}}</c>), the last one of an utterance padded
/// with μ-law silence, and marks (<c>{"event":"mark","streamSid":…,"mark":{"name":…}}</c>). Not thread-safe.
/// The JSON writer it reuses holds no unmanaged state (it writes into a managed buffer), so it needs no disposal.
/// </summary>
public sealed class TwilioMediaFramer
{
    /// <summary>Bytes in one 20 ms frame of μ-law at 8 kHz.</summary>
    public const int FrameBytes = 160;

    /// <summary>Duration of one frame.</summary>
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    /// <summary>The μ-law code of zero (positive zero, all bits inverted).</summary>
    public const byte MulawSilence = 0xFF;

    private readonly string _streamSid;
    private readonly byte[] _carry = new byte[FrameBytes];
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private int _carried;

    /// <summary>Creates a framer for the stream <paramref name="streamSid"/>.</summary>
    public TwilioMediaFramer(string streamSid)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamSid);
        _streamSid = streamSid;
        _writer = new Utf8JsonWriter(_json);
    }

    /// <summary>Appends μ-law bytes; adds one rendered media message to <paramref name="messages"/> per complete frame.</summary>
    public void Write(ReadOnlySpan<byte> mulaw, List<byte[]> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_carried > 0)
        {
            var fill = Math.Min(FrameBytes - _carried, mulaw.Length);
            mulaw[..fill].CopyTo(_carry.AsSpan(_carried));
            _carried += fill;
            mulaw = mulaw[fill..];
            if (_carried < FrameBytes) return;
            messages.Add(Media(_carry));
            _carried = 0;
        }

        while (mulaw.Length >= FrameBytes)
        {
            messages.Add(Media(mulaw[..FrameBytes]));
            mulaw = mulaw[FrameBytes..];
        }

        mulaw.CopyTo(_carry);
        _carried = mulaw.Length;
    }

    /// <summary>Ends an utterance: a partial frame is padded with silence to 160 bytes and added.</summary>
    public void Complete(List<byte[]> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_carried == 0) return;
        _carry.AsSpan(_carried).Fill(MulawSilence);
        messages.Add(Media(_carry));
        _carried = 0;
    }

    /// <summary>Drops a partial frame (barge-in).</summary>
    public void Reset() => _carried = 0;

    /// <summary>A rendered mark message.</summary>
    public byte[] Mark(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var writer = Begin("mark");
        writer.WriteStartObject("mark");
        writer.WriteString("name", name);
        return End(writer);
    }

    private byte[] Media(ReadOnlySpan<byte> frame)
    {
        var writer = Begin("media");
        writer.WriteStartObject("media");
        writer.WriteBase64String("payload", frame);
        return End(writer);
    }

    private Utf8JsonWriter Begin(string eventName)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("event", eventName);
        _writer.WriteString("streamSid", _streamSid);
        return _writer;
    }

    // Closes the event's inner object and the message.
    private byte[] End(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return _json.WrittenSpan.ToArray();
    }
}
