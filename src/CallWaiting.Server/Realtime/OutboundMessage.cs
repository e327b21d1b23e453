using CallWaiting.Speech.Audio;

namespace CallWaiting.Server.Realtime;

/// <summary>A message waiting to be sent to the client.</summary>
/// <param name="Generation">Barge-in generation; a message of an older one is dropped unsent. <see cref="Always"/> is never dropped.</param>
/// <param name="Payload">The frame's bytes (encoded audio, or UTF-8 JSON).</param>
/// <param name="Binary">Binary audio frame (default mode) rather than a JSON text frame.</param>
/// <param name="Samples">Output samples of audio it carries (0 for control messages).</param>
/// <param name="Paced">A Twilio media frame, subject to real-time pacing.</param>
/// <param name="Words">Word boundaries of the engine chunk this frame starts, relative to its first sample (default mode alignment).</param>
/// <param name="WordsSpan">Samples of that whole chunk, where a last word of unknown length ends.</param>
internal sealed record OutboundMessage(
    long Generation, byte[] Payload, bool Binary, int Samples, bool Paced = false, IReadOnlyList<WordBoundary>? Words = null, int WordsSpan = 0)
{
    /// <summary>The generation of messages that survive barge-in (ready, cleared, errors).</summary>
    public const long Always = -1;
}
