namespace CallWaiting.Server.Tts;

/// <summary>The answer of POST /v1/cache/prewarm: one result per prompt, in order, and the counts.</summary>
/// <param name="Results">Per-prompt outcomes.</param>
/// <param name="Rendered">Prompts synthesized now.</param>
/// <param name="Cached">Prompts that were already cached.</param>
/// <param name="Failed">Prompts that failed or could not be cached.</param>
public sealed record PrewarmResponse(IReadOnlyList<PrewarmResult> Results, int Rendered, int Cached, int Failed);
