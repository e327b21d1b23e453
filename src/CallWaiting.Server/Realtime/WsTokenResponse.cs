namespace CallWaiting.Server.Realtime;

/// <summary>POST /v1/auth/ws-token's answer.</summary>
/// <param name="Token">The token, for <c>/v1/tts/ws?token=…</c>.</param>
/// <param name="ExpiresAt">When it stops opening sessions.</param>
/// <param name="ExpiresIn">Seconds until then.</param>
/// <param name="Url">The WebSocket path with the token, relative to the server.</param>
public sealed record WsTokenResponse(string Token, DateTimeOffset ExpiresAt, int ExpiresIn, string Url);
