using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Limits and timeouts of the /v1/tts/ws WebSocket and the secret that signs short-lived tokens
/// (configuration section <c>Realtime</c>, e.g. env <c>CALLWAITING_Realtime__IdleTimeout=00:01:00</c>).
/// </summary>
public sealed class RealtimeOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Realtime";

    /// <summary>Smallest accepted signing secret, in bytes (HMAC-SHA256 gains nothing from longer keys than its output).</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// Base64 secret (at least 32 bytes) that signs WebSocket tokens and Twilio audio URLs. Unset means a random secret per
    /// process: fine for one replica, but replicas behind one load balancer must share a configured secret.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>Lifetime of a token from POST /v1/auth/ws-token.</summary>
    public TimeSpan TokenTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A session that neither receives a complete client message nor sends anything for this long is closed (1008).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a session may stay open (closed with 1008 after it).</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest client message in bytes; a bigger one closes the session with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How often the server pings the client.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a ping may go unanswered before the connection is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Utterances (sentences or clauses, at most <see cref="MaxUtteranceChars"/> each) waiting for synthesis; past this the
    /// server stops reading client messages. Roomy on purpose: while it pushes back it cannot read a barge-in's clear
    /// either, and a voice agent's whole answer (often more than the buffered audio when frames are paced) must fit.
    /// </summary>
    public int MaxQueuedUtterances { get; set; } = 64;

    /// <summary>Synthesized audio waiting to be sent before synthesis of the next utterance waits for the client to catch up.</summary>
    public TimeSpan MaxBufferedAudio { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Longest utterance handed to the synthesizer; longer text without punctuation is cut at a space.</summary>
    public int MaxUtteranceChars { get; set; } = 400;

    /// <summary>Utterance length from which a comma, semicolon or colon also ends an utterance (lower latency for long sentences).</summary>
    public int ClauseSplitChars { get; set; } = 120;

    /// <summary>How long a closing session waits for its last send and for the client's close frame before it drops the connection.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (SigningSecret is not null && !IsSecret(SigningSecret))
            yield return $"Realtime:SigningSecret must be base64 of at least {MinSecretBytes} bytes (e.g. `openssl rand -base64 32`).";
        if (TokenTtl <= TimeSpan.Zero || TokenTtl > TimeSpan.FromHours(1)) yield return "Realtime:TokenTtl must be positive and at most one hour.";
        if (IdleTimeout <= TimeSpan.Zero) yield return "Realtime:IdleTimeout must be positive.";
        if (MaxSessionDuration <= TimeSpan.Zero) yield return "Realtime:MaxSessionDuration must be positive.";
        if (MaxMessageBytes is < 1024 or > 16 * 1024 * 1024) yield return "Realtime:MaxMessageBytes must be between 1024 and 16777216.";
        if (KeepAliveInterval <= TimeSpan.Zero) yield return "Realtime:KeepAliveInterval must be positive.";
        if (KeepAliveTimeout <= TimeSpan.Zero) yield return "Realtime:KeepAliveTimeout must be positive.";
        if (MaxQueuedUtterances is < 1 or > 1024) yield return "Realtime:MaxQueuedUtterances must be between 1 and 1024.";
        if (MaxBufferedAudio <= TimeSpan.Zero) yield return "Realtime:MaxBufferedAudio must be positive.";
        if (MaxUtteranceChars is < 16 or > 100_000) yield return "Realtime:MaxUtteranceChars must be between 16 and 100000.";
        if (ClauseSplitChars < 1) yield return "Realtime:ClauseSplitChars must be positive.";
        if (CloseGrace <= TimeSpan.Zero) yield return "Realtime:CloseGrace must be positive.";
    }

    private static bool IsSecret(string text)
    {
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written >= MinSecretBytes;
    }
}
