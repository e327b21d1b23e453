using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Revocation;

/// <summary>Runs every KeyChanged handler, so that one throwing handler can't keep the others from invalidating.</summary>
internal static partial class KeyChangedHandlers
{
    public static void Invoke(Action<Guid>? handlers, Guid apiKeyId, ILogger logger)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<Guid>)handler)(apiKeyId);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(logger, ex, apiKeyId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A key-change handler failed for API key {ApiKeyId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Guid apiKeyId);
}
