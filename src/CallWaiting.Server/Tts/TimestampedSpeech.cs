using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>The answer of POST /v1/tts/with-timestamps: the whole audio file in base64 and when each word is spoken.</summary>
/// <param name="AudioBase64">The encoded file, base64.</param>
/// <param name="ContentType">Its media type (as /v1/tts would send it).</param>
/// <param name="Format">Its format name.</param>
/// <param name="SampleRate">Its sample rate in Hz.</param>
/// <param name="DurationMs">Its duration in milliseconds.</param>
/// <param name="Words">Words in order, with start and end in milliseconds.</param>
public sealed record TimestampedSpeech(string AudioBase64, string ContentType, string Format, int SampleRate, long DurationMs, IReadOnlyList<WordTiming> Words);
