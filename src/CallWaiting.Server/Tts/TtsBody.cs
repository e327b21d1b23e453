namespace CallWaiting.Server.Tts;

/// <summary>
/// The body of POST /v1/tts as the API documents it (JSON). <see cref="TtsRequestParser"/> reads bodies by hand into a
/// validated <see cref="TtsRequest"/>; this type only describes the wire.
/// </summary>
/// <param name="Text">What to say; required, at most Api:MaxTextLength characters (code points; 1200 by default).</param>
/// <param name="VoiceId">Voice UUID or slug; required.</param>
/// <param name="Format">wav (default), mp3, pcm16, ulaw, alaw, opus or flac.</param>
/// <param name="Speed">Speaking speed, 0.5 to 2.0 (default 1.0); pitch is kept.</param>
/// <param name="Seed">Seed for engines that sample, or null.</param>
/// <param name="SampleRate">Output rate in Hz (8000 to 48000), or null for the format's default.</param>
/// <param name="Stream">true: chunked streaming; false: the whole file; absent: a whole file for WAV, streamed otherwise.</param>
/// <param name="Ssml">Read the text as SSML (text that starts with &lt;speak&gt; is SSML either way).</param>
/// <param name="OutputFormat">An ElevenLabs output format name instead of format/sample_rate, such as mp3_22050_32 or pcm_16000.</param>
public sealed record TtsBody(string Text, string VoiceId, string Format = "wav", double Speed = 1.0, int? Seed = null, int? SampleRate = null,
    bool? Stream = null, bool Ssml = false, string? OutputFormat = null);
