using System.Text;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Buffers text that arrives in pieces (LLM tokens) and hands out utterances as soon as they are complete: a sentence
/// ends at . ! ? … (or their full-width forms) followed by a space or the end of what has arrived, unless the period
/// belongs to a number (3.14, or "3." still waiting for its digits), an abbreviation (Dr.) or an initial (J.);
/// a blank line ends one too. Long sentences are also cut after a comma, semicolon or colon once they reach the
/// clause length, and text without any boundary is cut at a space at the utterance limit, so the buffer stays bounded.
/// </summary>
public sealed class TextSegmenter
{
    // Abbreviations whose period does not end a sentence (they precede a name or a number).
    private static readonly HashSet<string> NonFinal = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "capt", "lt", "sgt", "gov", "sen", "rep", "rev", "fr", "hon", "jr", "sr",
        "vs", "no", "nr", "e.g", "i.e", "cf", "approx", "etc", "inc", "ltd", "co", "fig", "vol", "ch",
    };

    private readonly StringBuilder _buffer = new();
    private readonly int _maxChars;
    private readonly int _clauseChars;

    /// <summary>Creates a segmenter with the utterance limit and the length from which clauses split.</summary>
    public TextSegmenter(int maxUtteranceChars, int clauseSplitChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUtteranceChars, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clauseSplitChars);
        _maxChars = maxUtteranceChars;
        _clauseChars = Math.Min(clauseSplitChars, maxUtteranceChars);
    }

    /// <summary>Characters buffered and not yet handed out.</summary>
    public int Length => _buffer.Length;

    /// <summary>Appends text and moves every utterance that is now complete to <paramref name="ready"/>.</summary>
    public void Append(ReadOnlySpan<char> text, List<string> ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        while (!text.IsEmpty)
        {
            // Feed at most one utterance's worth at a time, so the buffer never holds more than the limit.
            var take = Math.Min(Math.Max(_maxChars - _buffer.Length, 1), text.Length);
            if (take < text.Length && char.IsHighSurrogate(text[take - 1])) take++; // keep surrogate pairs whole
            var piece = text[..take];
            _buffer.Append(piece);
            text = text[piece.Length..];
            TakeComplete(ready);
        }
    }

    /// <summary>Hands out everything buffered (a flush): the text as it is, trimmed, or null when only spaces are left.</summary>
    public string? TakeRest()
    {
        var rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length == 0 ? null : rest;
    }

    /// <summary>Drops everything buffered (barge-in).</summary>
    public void Clear() => _buffer.Clear();

    private void TakeComplete(List<string> ready)
    {
        while (true)
        {
            var end = FindBoundary();
            if (end < 0 && _buffer.Length >= _maxChars) end = CutPoint();
            if (end < 0) return;
            var utterance = _buffer.ToString(0, end).Trim();
            _buffer.Remove(0, end);
            if (utterance.Length > 0) ready.Add(utterance);
        }
    }

    /// <summary>The end (exclusive) of the first complete utterance in the buffer, or -1.</summary>
    private int FindBoundary()
    {
        var b = _buffer;
        for (var i = 0; i < b.Length; i++)
        {
            var c = b[i];
            if (c == '\n' && i + 1 < b.Length && IsBlankLineAfter(i)) return i + 1;
            if (IsFullWidthTerminal(c)) return SkipClosers(i + 1);
            if (c is '.' or '!' or '?' or '…')
            {
                var after = SkipClosers(i + 1);
                if (after < b.Length && !char.IsWhiteSpace(b[after])) continue; // 3.14, e.g.x, U.S.A
                if (c == '.' && !PeriodEndsSentence(i, atEnd: after == b.Length)) continue;
                if (after < b.Length && NextWordIsLowerCase(after)) continue; // "… etc. and more", an ellipsis mid-sentence
                return after;
            }

            if (c is ',' or ';' or ':' && i + 1 >= _clauseChars && i + 1 < b.Length && char.IsWhiteSpace(b[i + 1])) return i + 1;
        }

        return -1;
    }

    private bool PeriodEndsSentence(int period, bool atEnd)
    {
        var b = _buffer;
        if (period + 1 < b.Length && b[period + 1] == '.') return true; // an ellipsis written as dots
        var start = period;
        while (start > 0 && !char.IsWhiteSpace(b[start - 1])) start--;
        while (start < period && b[start] is '"' or '\'' or '(' or '[' or '“' or '‘' or '«') start++;
        var word = b.ToString(start, period - start);
        if (word.Length == 0) return true;
        if (NonFinal.Contains(word)) return false;
        if (word.Length == 1 && char.IsUpper(word[0])) return false; // an initial: J. R. R. Tolkien
        // At the end of what has arrived, "3." may still become 3.14.
        return !(atEnd && char.IsAsciiDigit(word[^1]));
    }

    private bool NextWordIsLowerCase(int from)
    {
        var b = _buffer;
        var i = from;
        while (i < b.Length && char.IsWhiteSpace(b[i])) i++;
        return i < b.Length && char.IsLower(b[i]);
    }

    private bool IsBlankLineAfter(int newline)
    {
        var b = _buffer;
        for (var i = newline + 1; i < b.Length; i++)
        {
            if (b[i] == '\n') return true;
            if (!char.IsWhiteSpace(b[i])) return false;
        }

        return false;
    }

    private int SkipClosers(int from)
    {
        var b = _buffer;
        while (from < b.Length && (b[from] is '.' or '!' or '?' or '…' or '"' or '\'' or ')' or ']' or '”' or '’' or '»' || IsFullWidthTerminal(b[from])))
            from++;
        return from;
    }

    // Past the limit without a boundary: cut after the last space, else at the limit (never inside a surrogate pair).
    private int CutPoint()
    {
        var b = _buffer;
        for (var i = Math.Min(_maxChars, b.Length) - 1; i > 0; i--)
        {
            if (char.IsWhiteSpace(b[i])) return i + 1;
        }

        var cut = Math.Min(_maxChars, b.Length);
        return char.IsHighSurrogate(b[cut - 1]) && cut < b.Length ? cut + 1 : cut;
    }

    private static bool IsFullWidthTerminal(char c) => c is '。' or '！' or '？';
}
