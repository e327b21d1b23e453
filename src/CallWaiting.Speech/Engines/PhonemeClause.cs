namespace CallWaiting.Speech.Engines;

/// <summary>One clause of text as espeak-ng translates it: its IPA and the punctuation mark that ended it.</summary>
/// <param name="Phonemes">The clause's IPA, words separated by spaces, as espeak-ng returns it.</param>
/// <param name="Terminator">The mark that ended the clause in the text (one of <c>. ? ! , : ;</c>), or '\0' when none did.</param>
public readonly record struct PhonemeClause(string Phonemes, char Terminator)
{
    /// <summary>Marks that end a sentence rather than a clause.</summary>
    public bool EndsSentence => Terminator is '.' or '?' or '!';
}
