using System.Buffers;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Wraps encoded audio for a response that is not the bare audio file (OpenAI's server-sent events): the audio
/// results hand it each piece of encoded audio as it is ready, then the end of the stream.
/// </summary>
public abstract class AudioFraming
{
    /// <summary>The response's media type.</summary>
    public abstract string ContentType { get; }

    /// <summary>Appends one piece of encoded audio; nothing when it is empty.</summary>
    public abstract void WriteAudio(IBufferWriter<byte> output, ReadOnlySpan<byte> audio);

    /// <summary>Appends whatever closes the stream, given how much audio it carried.</summary>
    public abstract void WriteEnd(IBufferWriter<byte> output, TimeSpan audio);
}
