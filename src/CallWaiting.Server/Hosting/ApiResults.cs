using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Builds the API's errors: ASP.NET Core <see cref="ProblemDetails"/> carrying the contract's <c>detail</c>, a stable
/// <c>code</c> and the <c>request_id</c> (or an endpoint's own <see cref="IApiErrorFormat"/>), never with a stack trace.
/// They go out through <see cref="IProblemDetailsService"/>, so <see cref="ApiProblemDetailsWriter"/> writes them all.
/// </summary>
public static class ApiResults
{
    /// <summary>The extension member holding the stable error code.</summary>
    public const string CodeMember = "code";

    /// <summary>The extension member holding the request id (also the X-Request-ID header).</summary>
    public const string RequestIdMember = "request_id";

    /// <summary>An error result with the given status, code and message.</summary>
    public static ProblemHttpResult Error(HttpContext context, int status, string code, string detail) =>
        TypedResults.Problem(Problem(status, code, detail));

    /// <summary>An error in the endpoint's own shape when it declares an <see cref="IApiErrorFormat"/>, else the contract's.</summary>
    public static IResult ErrorFor(HttpContext context, int status, string code, string detail) =>
        FormatOf(context) is { } format ? format.Error(context, status, code, detail) : Error(context, status, code, detail);

    /// <summary>Writes an error directly (for middleware that runs outside endpoint results), in the endpoint's shape.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string detail) =>
        FormatOf(context) is { } format ? format.WriteAsync(context, status, code, detail) : Error(context, status, code, detail).ExecuteAsync(context);

    /// <summary>
    /// Completes every problem the API writes: the request id, and a code for problems the framework made itself.
    /// Set as <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var extensions = context.ProblemDetails.Extensions;
        extensions.TryAdd(CodeMember, context.ProblemDetails.Status >= 500 ? "internal_error" : "error");
        extensions[RequestIdMember] = context.HttpContext.TraceIdentifier;
        context.ProblemDetails.Detail ??= context.ProblemDetails.Title;
    }

    private static ProblemDetails Problem(int status, string code, string detail) =>
        new() { Status = status, Detail = detail, Extensions = { [CodeMember] = code } };

    private static IApiErrorFormat? FormatOf(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<IApiErrorFormat>();
}
