namespace CallWaiting.Speech.Engines;

/// <summary>Why synthesis failed, so callers can map it to a status without parsing messages.</summary>
public enum EngineErrorKind
{
    /// <summary>The request cannot be spoken as asked (unknown voice, bad parameter).</summary>
    InvalidRequest,
    /// <summary>Every worker is busy and the queue is full; try again later.</summary>
    Overloaded,
    /// <summary>The engine crashed, hung or failed internally.</summary>
    EngineFailure,
    /// <summary>The engine, or the model behind the voice, is not loaded (or was removed while running).</summary>
    Unavailable,
}

/// <summary>A typed synthesis failure.</summary>
public sealed class EngineException(EngineErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What kind of failure this is.</summary>
    public EngineErrorKind Kind { get; } = kind;
}
