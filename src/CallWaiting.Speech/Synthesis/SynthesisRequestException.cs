namespace CallWaiting.Speech.Synthesis;

/// <summary>A synthesis request that cannot be served as asked; <see cref="Field"/> names the culprit.</summary>
public class SynthesisRequestException(string field, string message) : Exception(message)
{
    /// <summary>The request field at fault ("voice", "speed", "sample_rate", "text").</summary>
    public string Field { get; } = field;
}

/// <summary>The requested voice does not exist (or is not visible to the caller).</summary>
public sealed class VoiceNotFoundException(string voice)
    : SynthesisRequestException("voice", $"Voice '{voice}' was not found.");
