using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Observability;

/// <summary>
/// What the pipeline learns about one request (caller, voice, characters, error), gathered as it runs and
/// written once at the end: one log line, one request_logs row, the http_requests_total sample.
/// </summary>
public sealed class RequestTelemetry
{
    /// <summary>The authenticated key, once authentication succeeded.</summary>
    public ApiKey? Key { get; set; }

    /// <summary>Voice slug of a TTS request.</summary>
    public string? Voice { get; set; }

    /// <summary>Characters of TTS input.</summary>
    public int? Characters { get; set; }

    /// <summary>The error detail sent to the client, if any.</summary>
    public string? Error { get; set; }

    /// <summary>Whether the audio came from a cache.</summary>
    public bool Cached { get; set; }
}
