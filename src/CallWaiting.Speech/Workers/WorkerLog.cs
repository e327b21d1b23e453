using Microsoft.Extensions.Logging;

namespace CallWaiting.Speech.Workers;

/// <summary>Source-generated log messages of the worker pool.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Engine worker pid {Pid} ready with engines {Engines}")]
    public static partial void WorkerStarted(ILogger logger, int pid, string engines);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Engine worker pid {Pid} could not load {Engine}: {Reason}")]
    public static partial void EngineLoadFailed(ILogger logger, int pid, string engine, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Engine worker pid {Pid} failed and is being replaced: {Reason}")]
    public static partial void WorkerFailed(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Idle engine worker pid {Pid} exited ({Exit}) and is being replaced")]
    public static partial void IdleWorkerExited(ILogger logger, int pid, string exit);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Replacing an engine worker failed; retrying in {Delay}")]
    public static partial void RestartFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Retrying request on another engine worker after: {Reason}")]
    public static partial void Retrying(ILogger logger, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Engine worker pid {Pid}: {Line}")]
    public static partial void WorkerStderr(ILogger logger, int pid, string line);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Could not kill engine worker pid {Pid}: {Reason}")]
    public static partial void KillFailed(ILogger logger, int pid, string reason);
}
