namespace CallWaiting.Speech.Text;

/// <summary>One step of a <see cref="SpeechScript"/>: something to say or a silence.</summary>
public abstract record SpeechSegment;
