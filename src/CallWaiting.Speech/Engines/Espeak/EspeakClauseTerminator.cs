namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>
/// Recovers the punctuation that ended a clause from the text one espeak_TextToPhonemes call consumed. espeak-ng 1.51
/// has no espeak_TextToPhonemesWithTerminator, and its text pointer runs a character or two into the next clause
/// (it reads ahead and keeps those characters for the next call), so the mark is the last one before that overshoot.
/// </summary>
internal static class EspeakClauseTerminator
{
    private const string Marks = ".?!,:;";

    /// <summary>The mark that ended the clause, or '\0'.</summary>
    /// <param name="consumed">The text the call consumed.</param>
    /// <param name="atEnd">Whether the call consumed the rest of the text (no overshoot then).</param>
    public static char Find(string consumed, bool atEnd)
    {
        var end = consumed.Length;
        if (!atEnd)
        {
            // The overshoot is the start of the next clause's first word: drop what follows the last whitespace.
            var space = consumed.AsSpan().LastIndexOfAny(" \t\r\n\u00a0");
            if (space >= 0) end = space;
        }
        // As piper-phonemize does, only the last character before the overshoot counts: after a closing quote, none.
        var clause = consumed.AsSpan(0, end).TrimEnd();
        return clause.Length > 0 && Marks.Contains(clause[^1]) ? clause[^1] : '\0';
    }
}
