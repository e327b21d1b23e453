namespace CallWaiting.Server.OpenAi;

/// <summary>The JSON body of POST /v1/audio/speech as OpenAI defines it.</summary>
/// <remarks>
/// It exists for the OpenAPI document (whose schemas show summaries, not remarks);
/// <see cref="OpenAiSpeechRequestParser"/> reads and validates bodies by hand into an <see cref="OpenAiSpeechRequest"/>.
/// </remarks>
/// <param name="Model">tts-1, tts-1-hd, gpt-4o-mini-tts or callwaiting-tts.</param>
/// <param name="Input">Text to speak, at most 4096 characters.</param>
/// <param name="Voice">An OpenAI voice name (alloy, ash, ballad, coral, echo, fable, nova, onyx, sage, shimmer, verse, marin, cedar), or a voice slug or UUID.</param>
/// <param name="ResponseFormat">mp3 (default), opus, flac, wav or pcm (24 kHz 16-bit little-endian mono); aac is refused.</param>
/// <param name="Speed">0.25–4.0, default 1.0.</param>
/// <param name="Instructions">Accepted and ignored: no engine takes style instructions.</param>
/// <param name="StreamFormat">audio (default) or sse.</param>
public sealed record OpenAiSpeechBody(
    string Model,
    string Input,
    string Voice,
    string? ResponseFormat = "mp3",
    double? Speed = 1.0,
    string? Instructions = null,
    string? StreamFormat = "audio");
