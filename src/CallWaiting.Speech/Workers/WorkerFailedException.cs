namespace CallWaiting.Speech.Workers;

/// <summary>The worker process broke (crashed, hung or spoke garbage) and has been killed; its request may be retried.</summary>
internal sealed class WorkerFailedException(string message, Exception? inner = null) : Exception(message, inner);
