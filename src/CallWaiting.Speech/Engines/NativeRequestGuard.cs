namespace CallWaiting.Speech.Engines;

/// <summary>Checks an <see cref="EngineRequest"/> before it reaches a native library, so bad input fails as a typed error.</summary>
internal static class NativeRequestGuard
{
    /// <summary>Throws when the request cannot be handed to an engine with these capabilities.</summary>
    /// <exception cref="ArgumentNullException">The request, its text or the sink is null.</exception>
    /// <exception cref="EngineException">Kind <see cref="EngineErrorKind.InvalidRequest"/>: text too long or containing NUL, or prosody out of range.</exception>
    public static void Validate(EngineRequest request, NativeAudioSink sink, EngineCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(request.Text, nameof(request) + "." + nameof(request.Text));
        ArgumentNullException.ThrowIfNull(request.Voice, nameof(request) + "." + nameof(request.Voice));
        CheckText(request.Text, "Text", capabilities.MaxChunkChars);
        if (request.Phonemes is not null) CheckText(request.Phonemes, "Phonemes", capabilities.MaxChunkChars);
        CheckPositive(request.Prosody.Rate, nameof(Prosody.Rate));
        CheckPositive(request.Prosody.Pitch, nameof(Prosody.Pitch));
        if (!double.IsFinite(request.Prosody.Volume) || request.Prosody.Volume < 0)
            throw Invalid($"Volume must be a finite number >= 0, not {request.Prosody.Volume}.");
    }

    private static void CheckText(string text, string what, int maxChars)
    {
        if (text.Length > maxChars)
            throw Invalid($"{what} is {text.Length} characters long; this engine takes at most {maxChars} per call.");
        if (text.Contains('\0')) throw Invalid($"{what} contains a NUL character.");
    }

    private static void CheckPositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0) throw Invalid($"{name} must be a finite number > 0, not {value}.");
    }

    private static EngineException Invalid(string message) => new(EngineErrorKind.InvalidRequest, message);
}
