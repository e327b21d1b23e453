using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Answers the refusals of the administration services (TenantService, KeyService, the admin endpoints) as the API's JSON
/// errors, so the CLI and the API share each rule and its message: <see cref="ApiRequestException"/> with its own status,
/// <see cref="ArgumentException"/> 400, <see cref="KeyNotFoundException"/> 404, <see cref="InvalidOperationException"/> 409.
/// </summary>
public sealed class ServiceErrorFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var context = invocation.HttpContext;
        try
        {
            return await next(invocation);
        }
        catch (ApiRequestException e)
        {
            return Fail(context, e.Status, e.Code, e.Message);
        }
        catch (ArgumentException e)
        {
            // The services name the parameter for developers; the caller gets the sentence.
            return Fail(context, StatusCodes.Status400BadRequest, "invalid_request", Sentence(e));
        }
        catch (KeyNotFoundException e)
        {
            return Fail(context, StatusCodes.Status404NotFound, "not_found", e.Message);
        }
        catch (InvalidOperationException e) when (e is not ObjectDisposedException)
        {
            return Fail(context, StatusCodes.Status409Conflict, "conflict", e.Message);
        }
    }

    private static string Sentence(ArgumentException e) =>
        e.ParamName is { } name && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? e.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;

    private static IResult Fail(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<Observability.RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, status, code, detail);
    }
}
