namespace CallWaiting.Server.OpenAi;

/// <summary>
/// The usage the <c>speech.audio.done</c> event reports. CallWaiting meters characters and audio, not tokens:
/// input_tokens is the billed character count and output_tokens counts the audio in fixed 50 ms units, so that
/// totals grow with both text and audio length and clients that sum tokens see a stable, documented unit.
/// </summary>
/// <param name="InputTokens">Characters of input.</param>
/// <param name="OutputTokens">Audio length in 50 ms units, rounded up.</param>
/// <param name="TotalTokens">Their sum.</param>
public sealed record OpenAiUsage(long InputTokens, long OutputTokens, long TotalTokens)
{
    /// <summary>Audio per output token.</summary>
    public static readonly TimeSpan OutputTokenDuration = TimeSpan.FromMilliseconds(50);

    /// <summary>The usage of <paramref name="characters"/> of input spoken as <paramref name="audio"/>.</summary>
    public static OpenAiUsage For(int characters, TimeSpan audio)
    {
        var output = (long)Math.Ceiling(audio / OutputTokenDuration);
        return new OpenAiUsage(characters, output, characters + output);
    }
}
