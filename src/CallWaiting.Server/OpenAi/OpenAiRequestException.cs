namespace CallWaiting.Server.OpenAi;

/// <summary>A request to the OpenAI-compatible API that is refused before any work, answered in OpenAI's error shape.</summary>
/// <param name="status">The HTTP status (400, 413 or 415).</param>
/// <param name="code">OpenAI-style machine code, e.g. invalid_value or missing_required_parameter.</param>
/// <param name="param">The field at fault, or null.</param>
/// <param name="message">Human-readable explanation.</param>
public sealed class OpenAiRequestException(int status, string code, string? param, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The machine code.</summary>
    public string Code { get; } = code;

    /// <summary>The field at fault, or null.</summary>
    public string? Param { get; } = param;
}
