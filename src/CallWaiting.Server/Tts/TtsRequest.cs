namespace CallWaiting.Server.Tts;

/// <summary>The body of POST /v1/tts (the seed's fields plus sample_rate).</summary>
/// <param name="Text">What to say; required, at most Api:MaxTextLength characters (1200 by default).</param>
/// <param name="VoiceId">Voice UUID or slug; required.</param>
/// <param name="Format">wav (default), mp3, pcm16, ulaw, alaw, opus or flac.</param>
/// <param name="Speed">Speaking speed, 0.5 to 2.0 (default 1.0); pitch is kept.</param>
/// <param name="Seed">Seed for engines that sample, or null.</param>
/// <param name="SampleRate">Output rate in Hz (8000 to 48000), or null for the format's default.</param>
public sealed record TtsRequest(string Text, string VoiceId, string Format = "wav", double Speed = 1.0, int? Seed = null, int? SampleRate = null);
