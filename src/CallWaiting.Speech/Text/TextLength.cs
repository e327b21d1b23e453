namespace CallWaiting.Speech.Text;

/// <summary>
/// How long a text is wherever length is limited, reported or billed: in Unicode code points, so an emoji (two UTF-16
/// units) is one character, as a caller counts it.
/// </summary>
public static class TextLength
{
    /// <summary>The code points in <paramref name="text"/>; a lone surrogate counts as one.</summary>
    public static int Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }
}
