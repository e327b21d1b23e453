namespace CallWaiting.Speech.Workers;

/// <summary>A frame that breaks the worker protocol: truncated, oversized, of unknown type or malformed.</summary>
public sealed class WorkerProtocolException(string message, Exception? inner = null) : IOException(message, inner);
