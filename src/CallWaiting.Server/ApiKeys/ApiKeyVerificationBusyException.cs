namespace CallWaiting.Server.ApiKeys;

/// <summary>No verification slot freed up in time (see <see cref="ApiKeyVerificationGate"/>): answer 503 with Retry-After.</summary>
public sealed class ApiKeyVerificationBusyException()
    : Exception("Too many API keys are being verified at once; retry shortly.");
