using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Text;

namespace CallWaiting.Server.Tts;

/// <summary>
/// A validated synthesis command, as every transport builds it: POST /v1/tts (its wire body is <see cref="TtsBody"/>),
/// prewarm, OpenAI, the WebSocket and Twilio.
/// </summary>
/// <param name="Text">What to say; required, at most Api:MaxTextLength characters (code points; 1200 by default).</param>
/// <param name="VoiceId">Voice UUID or slug; required.</param>
/// <param name="Format">The output format (WAV by default).</param>
/// <param name="Speed">Speaking speed, 0.5 to 2.0 (default 1.0); pitch is kept.</param>
/// <param name="Seed">Seed for engines that sample, or null.</param>
/// <param name="SampleRate">Output rate in Hz (8000 to 48000), or null for the format's default.</param>
public sealed record TtsRequest(string Text, string VoiceId, AudioFormat Format = AudioFormat.Wav, double Speed = 1.0, int? Seed = null, int? SampleRate = null)
{
    /// <summary>
    /// true: chunked streaming, audio leaves as each sentence is ready (a WAV header then says "length unknown");
    /// false: the whole file in one response with Content-Length; absent: a whole file for WAV, streamed for every other format.
    /// </summary>
    public bool? Stream { get; init; }

    /// <summary>Read the text as SSML (text that starts with &lt;speak&gt; is SSML either way).</summary>
    public bool Ssml { get; init; }

    /// <summary>
    /// An ElevenLabs output format name instead of format/sample_rate: mp3_22050_32, mp3_44100_128, pcm_8000 … pcm_48000,
    /// ulaw_8000, alaw_8000, opus_48000_64 (codec_rate[_kbps]). It may be combined with format and sample_rate only when they agree.
    /// </summary>
    public string? OutputFormat { get; init; }

    /// <summary>
    /// A second tempo stage (0.5–2.0) applied to the synthesized audio, so that speeds beyond the synthesizer's range
    /// compose as <see cref="Speed"/> × tempo (OpenAI's 0.25–4.0); 1 for none.
    /// </summary>
    public double Tempo { get; init; } = 1.0;

    /// <summary>Length of <see cref="Text"/> in characters (code points), as limited, reported in X-Text-Length and metered.</summary>
    public int Characters => TextLength.Of(Text);

    /// <summary>Encoder bitrate in kbit/s taken from <see cref="OutputFormat"/> (mp3, opus).</summary>
    public int? BitrateKbps { get; init; }
}
