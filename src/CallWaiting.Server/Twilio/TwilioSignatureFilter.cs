using System.Collections.Specialized;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace CallWaiting.Server.Twilio;

/// <summary>
/// When Twilio:AuthToken is configured, lets through only webhooks whose X-Twilio-Signature matches, as checked by
/// Twilio's own <see cref="RequestValidator"/> over the public request URL and the form parameters (HMAC-SHA1 with
/// the auth token, or the algorithm named by X-Twilio-Webhooks-Signature-Settings). Anything else gets 403.
/// Without an auth token it does nothing, and the API key alone authenticates the webhook.
/// </summary>
public sealed class TwilioSignatureFilter(IOptions<TwilioOptions> options) : IEndpointFilter
{
    /// <summary>The header carrying Twilio's signature.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var settings = options.Value;
        if (settings.AuthToken is not { Length: > 0 } authToken) return await next(invocation);

        var context = invocation.HttpContext;
        var request = context.Request;
        var signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0)
            return Fail(context, "missing_twilio_signature", "Missing X-Twilio-Signature: this endpoint accepts only webhooks signed by Twilio.");

        var parameters = new NameValueCollection(StringComparer.Ordinal);
        foreach (var (name, values) in FormBodyFilter.Of(context) ?? FormCollection.Empty)
        {
            foreach (var value in values) parameters.Add(name, value);
        }

        var algorithm = RequestValidator.GetSignatureAlgorithm(request.Headers[RequestValidator.SignatureSettingsHeader].ToString());
        // RequestValidator keeps hash objects that are not thread-safe: one per request.
        var valid = new RequestValidator(authToken).Validate(TwilioWebhookUrl.Of(request, settings), parameters, signature, algorithm);
        return valid ? await next(invocation) : Fail(context, "invalid_twilio_signature", "The X-Twilio-Signature does not match this request.");
    }

    private static IResult Fail(HttpContext context, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, StatusCodes.Status403Forbidden, code, detail);
    }
}
