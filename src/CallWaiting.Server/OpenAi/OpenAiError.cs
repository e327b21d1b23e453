using System.Text.Json.Serialization;

namespace CallWaiting.Server.OpenAi;

/// <summary>OpenAI's error body, <c>{"error":{"message","type","param","code"}}</c>, which its SDKs turn into typed exceptions.</summary>
/// <param name="Error">The error.</param>
public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <summary>One OpenAI-shaped error; <c>param</c> and <c>code</c> are always present, null when they do not apply, as OpenAI sends them.</summary>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Type">OpenAI's error class: invalid_request_error, requests (rate limit) or server_error.</param>
/// <param name="Param">The request field at fault, if any.</param>
/// <param name="Code">A stable machine-readable code.</param>
public sealed record OpenAiError(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
