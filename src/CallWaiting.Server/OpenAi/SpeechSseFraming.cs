using System.Buffers;
using CallWaiting.Server.Tts;

namespace CallWaiting.Server.OpenAi;

/// <summary>Frames streamed speech as OpenAI's server-sent events: a delta per piece of audio, then done with the usage of <paramref name="characters"/>.</summary>
internal sealed class SpeechSseFraming(int characters) : AudioFraming
{
    /// <inheritdoc />
    public override string ContentType => SpeechSse.ContentType;

    /// <inheritdoc />
    public override void WriteAudio(IBufferWriter<byte> output, ReadOnlySpan<byte> audio) => SpeechSse.WriteDelta(output, audio);

    /// <inheritdoc />
    public override void WriteEnd(IBufferWriter<byte> output, TimeSpan audio) => SpeechSse.WriteDone(output, OpenAiUsage.For(characters, audio));
}
