using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Realtime;

/// <summary>A message waiting to be sent to the client.</summary>
/// <param name="Generation">Barge-in generation; a message of an older one is dropped unsent. <see cref="Always"/> is never dropped.</param>
/// <param name="Payload">The frame's bytes (encoded audio, or UTF-8 JSON); an empty audio payload sends only its alignment.</param>
/// <param name="Binary">Binary audio frame (default mode) rather than a JSON text frame.</param>
/// <param name="Samples">Output samples of audio it carries (0 for control messages).</param>
/// <param name="Words">Words timed from the start of their utterance, sent as an alignment message just before this frame (default mode).</param>
/// <param name="UtteranceOffset">The utterance's samples queued before this frame, which places the utterance's start in the stream.</param>
/// <param name="Paced">A Twilio media frame, subject to real-time pacing.</param>
/// <param name="Step">What the session's encoder does with it as it is sent (mp3 and opus).</param>
internal sealed record OutboundMessage(
    long Generation, byte[] Payload, bool Binary, int Samples, IReadOnlyList<WordTiming>? Words = null, long UtteranceOffset = 0, bool Paced = false,
    EncoderStep Step = EncoderStep.None)
{
    /// <summary>The generation of messages that survive barge-in (ready, cleared, errors).</summary>
    public const long Always = -1;
}
