using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallWaiting.Server.Revocation;

/// <summary>Key-change broadcast within one process, for a single node without Redis: publishing runs the handlers directly.</summary>
public sealed class InProcessKeyRevocationBus : IKeyRevocationBus
{
    private readonly ILogger _logger;

    /// <summary>Creates the bus; handler failures are logged to <paramref name="logger"/>.</summary>
    public InProcessKeyRevocationBus(ILogger<InProcessKeyRevocationBus>? logger = null)
    {
        _logger = logger ?? NullLogger<InProcessKeyRevocationBus>.Instance;
    }

    /// <inheritdoc />
    public event Action<Guid>? KeyChanged;

    /// <summary>Always 0: nothing is ever lost in process.</summary>
    public long Generation => 0;

    /// <inheritdoc />
    public Task PublishAsync(Guid apiKeyId, string newStatus, CancellationToken cancellationToken = default)
    {
        KeyChangeMessage.ValidateStatus(newStatus);
        cancellationToken.ThrowIfCancellationRequested();
        KeyChangedHandlers.Invoke(KeyChanged, apiKeyId, _logger);
        return Task.CompletedTask;
    }
}
