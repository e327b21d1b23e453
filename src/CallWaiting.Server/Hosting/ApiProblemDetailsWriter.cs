using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Writes every <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/> of the API as <c>application/json</c>, not
/// <c>application/problem+json</c>: the contract promises JSON errors and its clients check for that media type
/// (see ARCHITECTURE.md, Errors). Registered before the framework's writer, so it is the one used.
/// </summary>
public sealed class ApiProblemDetailsWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    /// <inheritdoc />
    public bool CanWrite(ProblemDetailsContext context) => true;

    /// <inheritdoc />
    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        http.Response.StatusCode = problem.Status.Value;
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, ServerJson.Default.ProblemDetails, "application/json", http.RequestAborted));
    }
}
