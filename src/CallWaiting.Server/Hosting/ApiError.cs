namespace CallWaiting.Server.Hosting;

/// <summary>The JSON body of every error response: a human <c>detail</c>, a stable <c>code</c> and the request id.</summary>
public sealed record ApiError(string Detail, string Code, string? RequestId);
