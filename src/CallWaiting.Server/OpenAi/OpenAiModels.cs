namespace CallWaiting.Server.OpenAi;

/// <summary>
/// The model ids the speech API accepts: OpenAI's three TTS models, so existing code runs unchanged, and our own.
/// All of them render with the same engines: the voice, not the model, picks the engine.
/// </summary>
public static class OpenAiModels
{
    /// <summary>Our own model id.</summary>
    public const string CallWaiting = "callwaiting-tts";

    /// <summary>The owner every listed model reports.</summary>
    public const string Owner = "callwaiting";

    // A fixed instant (2026-01-01T00:00:00Z) rather than the start time, so that every replica lists the same models.
    private const long Created = 1_767_225_600;

    /// <summary>Every accepted model id, OpenAI's first.</summary>
    public static IReadOnlyList<string> All { get; } = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts", CallWaiting];

    /// <summary>Whether <paramref name="id"/> names an accepted model (exact, as OpenAI matches them).</summary>
    public static bool IsKnown(string? id) => id is not null && All.Contains(id, StringComparer.Ordinal);

    /// <summary>The model as GET /v1/models lists it.</summary>
    public static OpenAiModel Describe(string id) => new(id, "model", Created, Owner);
}
