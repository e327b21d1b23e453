namespace CallWaiting.Server.Tts;

/// <summary>The body of POST /v1/cache/prewarm (for the API description; the endpoint validates each prompt as /v1/tts does).</summary>
/// <param name="Prompts">Up to Cache:MaxPrewarmPrompts (100) /v1/tts bodies.</param>
public sealed record PrewarmRequest(IReadOnlyList<TtsBody> Prompts);
