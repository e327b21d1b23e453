namespace CallWaiting.Server.Hosting;

/// <summary>A request the API refuses with a 4xx: its status, stable code and message (answered by <see cref="ServiceErrorFilter"/>).</summary>
public sealed class ApiRequestException(int status, string code, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer.</summary>
    public int Status { get; } = status;

    /// <summary>The stable error code.</summary>
    public string Code { get; } = code;

    /// <summary>A 400 invalid_request naming what is wrong with the input.</summary>
    public static ApiRequestException Invalid(string message) => new(400, "invalid_request", message);

    /// <summary>The refusal of a JSON body that <see cref="JsonRequestBody"/> could not read (415, 413 or 400).</summary>
    public static ApiRequestException ForBody(JsonBodyProblem problem, long maxBodyBytes) => problem switch
    {
        JsonBodyProblem.NotJson => new(415, "unsupported_media_type", "Content-Type must be application/json."),
        JsonBodyProblem.TooLarge => new(413, "payload_too_large", $"The request body exceeds {maxBodyBytes} bytes."),
        JsonBodyProblem.Empty => Invalid("The request body is empty; send a JSON object."),
        JsonBodyProblem.TrailingData => Invalid("Malformed JSON body: unexpected data after the JSON value."),
        JsonBodyProblem.InvalidUtf8 => Invalid("Malformed JSON body: it is not valid UTF-8."),
        _ => Invalid("Malformed JSON body."),
    };
}
