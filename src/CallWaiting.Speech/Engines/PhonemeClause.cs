namespace CallWaiting.Speech.Engines;

/// <summary>One clause of text as espeak-ng translates it: its IPA and the punctuation mark that ended it.</summary>
/// <param name="Phonemes">The clause's IPA, words separated by spaces, as espeak-ng returns it.</param>
/// <param name="Terminator">The mark that ended the clause in the text (one of <c>. ? ! , : ;</c>), or '\0' when none did.</param>
public readonly record struct PhonemeClause(string Phonemes, char Terminator)
{
    /// <summary>Marks that end a sentence rather than a clause.</summary>
    public bool EndsSentence => Terminator is '.' or '?' or '!';

    /// <summary>The IPA without espeak-ng's <c>(lang)</c> language-switch marks, which no model's alphabet has.</summary>
    public string WithoutLanguageMarks()
    {
        if (Phonemes.IndexOf('(', StringComparison.Ordinal) < 0) return Phonemes;
        var kept = new System.Text.StringBuilder(Phonemes.Length);
        var inLanguageMark = false;
        foreach (var c in Phonemes)
        {
            if (inLanguageMark) inLanguageMark = c != ')';
            else if (c == '(') inLanguageMark = true;
            else kept.Append(c);
        }
        return kept.ToString();
    }
}
