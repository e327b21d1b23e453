using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Admin;

/// <summary>An admin request that cannot be answered as asked: a bad query parameter (400) or an id the caller may not see (404).</summary>
/// <param name="status">The HTTP status to answer with.</param>
/// <param name="code">The stable error code, e.g. <c>invalid_date</c>.</param>
/// <param name="message">What is wrong and what is accepted.</param>
public sealed class AdminRequestException(int status, string code, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The stable error code.</summary>
    public string Code { get; } = code;

    /// <summary>A 400 for a query parameter that cannot be used.</summary>
    public static AdminRequestException BadQuery(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);

    /// <summary>A 404: the id does not exist or belongs to a tenant the caller may not see, which look the same.</summary>
    public static AdminRequestException NotFound(string code, string message) => new(StatusCodes.Status404NotFound, code, message);
}
