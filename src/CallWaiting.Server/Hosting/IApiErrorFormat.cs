using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Endpoint metadata that gives an endpoint's errors another API's body shape (e.g. OpenAI's) instead of the contract's
/// <c>{"detail"}</c>; <see cref="ApiResults"/> consults it, so the API-key filter, status pages and the error
/// middleware answer in the endpoint's own shape.
/// </summary>
public interface IApiErrorFormat
{
    /// <summary>An error result with the given status, our stable code and a human message.</summary>
    IResult Error(HttpContext context, int status, string code, string detail);

    /// <summary>Writes the error directly (for middleware that runs outside endpoint results).</summary>
    Task WriteAsync(HttpContext context, int status, string code, string detail);
}
