using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Realtime;

/// <summary>The first message of a WebSocket session, validated.</summary>
/// <param name="VoiceId">Voice UUID or slug, resolved for the caller's tenant.</param>
/// <param name="Format">pcm16, wav (one streaming header, then PCM), ulaw, alaw, mp3 or opus (Ogg).</param>
/// <param name="SampleRate">Output rate in Hz.</param>
/// <param name="Speed">Speaking speed, 0.5 to 2.0.</param>
/// <param name="Mode">Default or Twilio Media Streams output.</param>
/// <param name="StreamSid">The Twilio stream SID echoed in every Twilio message (Twilio mode only).</param>
/// <param name="RealtimePacing">Twilio mode: send one 20 ms frame every 20 ms instead of as fast as possible.</param>
public sealed record SessionConfig(
    string VoiceId, AudioFormat Format, int SampleRate, double Speed, SessionMode Mode, string? StreamSid, bool RealtimePacing);
