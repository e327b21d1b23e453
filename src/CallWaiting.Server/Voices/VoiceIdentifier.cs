using System.Buffers;

namespace CallWaiting.Server.Voices;

/// <summary>What a voice_id can look like: a UUID or a slug (letters, digits, '-', '_', '.'), at most 128 characters.</summary>
public static class VoiceIdentifier
{
    private const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>Whether the text could name a voice; anything else is simply not found, without touching the database.</summary>
    public static bool IsPlausible(string? text) =>
        text is { Length: > 0 and <= MaxLength } && !text.AsSpan().ContainsAnyExcept(Allowed);
}
