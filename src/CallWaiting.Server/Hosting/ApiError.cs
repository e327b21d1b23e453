namespace CallWaiting.Server.Hosting;

/// <summary>
/// The JSON body of every error response, as OpenAPI documents it: ProblemDetails (RFC 9457) members <c>title</c>,
/// <c>status</c> and a human <c>detail</c>, plus a stable <c>code</c> and the request id (<see cref="ApiResults"/> writes it).
/// </summary>
public sealed record ApiError(string Title, int Status, string Detail, string Code, string? RequestId);
