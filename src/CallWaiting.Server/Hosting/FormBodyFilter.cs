using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// The one place that reads form bodies (urlencoded or multipart): the first filter of every route that takes a form.
/// It reads the body within Api:MaxRequestBodyBytes and the form limits, and answers a form that cannot be read with a
/// JSON 400 (malformed: no boundary, a broken part, a cut-off body), 413 (too large, too many fields) or 415 (a charset
/// .NET refuses) instead of letting the framework's exception become a 500. Filters and handlers after it take the form
/// from <see cref="Of"/>.
/// </summary>
public sealed class FormBodyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    /// <summary>Most fields a form may have (ASP.NET Core's default).</summary>
    public const int MaxFields = 1024;

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        IFormCollection? form = null;
        if (request.HasFormContentType)
        {
            var maxBytes = options.Value.MaxRequestBodyBytes;
            if (request.ContentLength > maxBytes || await BufferAsync(request, maxBytes, context.RequestAborted) is not { } body)
                return Refuse(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The request body exceeds {maxBytes} bytes.");

            // Parsed from memory, every exception describes the body, never the connection.
            request.Body = body;
            var feature = new FormFeature(request, new FormOptions { ValueCountLimit = MaxFields, BufferBody = false });
            context.Features.Set<IFormFeature>(feature);
            try
            {
                form = await feature.ReadFormAsync(context.RequestAborted);
            }
            // The form reader says which of its limits a form broke only in words ("Form value count limit 1024 exceeded.").
            catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                return Refuse(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The form is too large: {e.Message}");
            }
            catch (NotSupportedException)
            {
                // A charset .NET refuses to decode (UTF-7).
                return Refuse(context, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The form's charset is not supported; send UTF-8.");
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return Refuse(context, StatusCodes.Status400BadRequest, "invalid_form", $"The form body is malformed: {e.Message}");
            }
        }

        context.Features.Set(new ReadForm(form));
        return await next(invocation);
    }

    /// <summary>The form this filter read; null when the request is not a form. Throws when the filter did not run.</summary>
    public static IFormCollection? Of(HttpContext context) =>
        (context.Features.Get<ReadForm>() ?? throw new InvalidOperationException($"The endpoint reads a form without {nameof(FormBodyFilter)}.")).Form;

    // Null when the body is longer than maxBytes.
    private static async Task<MemoryStream?> BufferAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static IResult Refuse(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.ErrorFor(context, status, code, detail);
    }

    private sealed record ReadForm(IFormCollection? Form);
}
