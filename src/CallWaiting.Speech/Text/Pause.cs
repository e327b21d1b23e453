namespace CallWaiting.Speech.Text;

/// <summary>A silence of a given length, from an SSML &lt;break&gt;.</summary>
/// <param name="Duration">How long to stay silent.</param>
public sealed record Pause(TimeSpan Duration) : SpeechSegment;
