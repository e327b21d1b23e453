using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.OpenAi;

/// <summary>A validated POST /v1/audio/speech body (instructions are accepted and not used: no engine takes them).</summary>
/// <param name="Model">One of <see cref="OpenAiModels.All"/>.</param>
/// <param name="Input">The text to speak.</param>
/// <param name="Voice">An OpenAI voice name, or a catalog slug or UUID.</param>
/// <param name="Format">The audio format of <c>response_format</c>.</param>
/// <param name="Speed">0.25–4.0.</param>
/// <param name="Sse">Whether <c>stream_format</c> is sse rather than raw audio.</param>
/// <param name="AudioStreamAsked">Whether <c>stream_format</c> says audio explicitly (a WAV is then streamed rather than sent as a whole file).</param>
public sealed record OpenAiSpeechRequest(string Model, string Input, string Voice, AudioFormat Format, double Speed, bool Sse, bool AudioStreamAsked);
