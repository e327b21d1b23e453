using System.Globalization;
using System.Text;

namespace CallWaiting.Speech.Text;

/// <summary>
/// Language-neutral guard that caps every whitespace-delimited token: engines can take seconds to minutes on one
/// token thousands of characters long. Over-long tokens are cut into their letter, digit and symbol runs; letter runs
/// that look like words are cut into pieces, random-looking ones are spelled letter by letter, digit runs are grouped
/// and symbol runs are shortened.
/// </summary>
internal static class LongTokenGuard
{
    // Letters between commas when spelling a random string, so it is read in breathable groups.
    private const int SpellGroup = 8;
    private const int DigitGroup = 4;
    private const int MaxSymbolRun = 3;

    /// <summary>Returns <paramref name="text"/> with no token longer than <paramref name="maxTokenChars"/>.</summary>
    public static string Apply(string text, int maxTokenChars)
    {
        if (!HasLongToken(text, maxTokenChars))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + text.Length / 2);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsSeparator(text[i]))
            {
                continue;
            }

            var token = text.AsSpan(start, i - start);
            if (token.Length > maxTokenChars)
            {
                SplitToken(sb, token, maxTokenChars);
            }
            else
            {
                sb.Append(token);
            }

            if (i < text.Length)
            {
                sb.Append(text[i]);
            }

            start = i + 1;
        }

        return sb.ToString();
    }

    private static bool HasLongToken(string text, int max)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = IsSeparator(c) ? 0 : run + 1;
            if (run > max)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSeparator(char c) => c is ' ' or TextSanitizer.Paragraph;

    private static void SplitToken(StringBuilder sb, ReadOnlySpan<char> token, int max)
    {
        // Leave room for a surrogate pair and stacked combining marks after the last base character of a piece.
        var pieceChars = Math.Max(1, Math.Min(24, max - 10));
        var pieceStart = sb.Length;
        var i = 0;
        while (i < token.Length)
        {
            var kind = Classify(token, i);
            var end = RunEnd(token, i, kind);
            var run = token[i..end];
            if (kind == RunKind.Symbol && pieceStart < sb.Length && sb.Length - pieceStart + Math.Min(run.Length, MaxSymbolRun) <= max)
            {
                AppendSymbols(sb, run); // punctuation stays attached to the piece before it when it fits
            }
            else
            {
                if (sb.Length > pieceStart)
                {
                    sb.Append(' ');
                }

                switch (kind)
                {
                    case RunKind.Letters when run.Length > max && !Spelling.LooksPronounceable(run):
                        AppendSpelled(sb, run);
                        break;
                    case RunKind.Letters:
                        AppendPieces(sb, run, run.Length > max ? pieceChars : max);
                        break;
                    case RunKind.Digits when run.Length > max:
                        AppendDigitGroups(sb, run);
                        break;
                    case RunKind.Digits:
                        sb.Append(run);
                        break;
                    default:
                        AppendSymbols(sb, run);
                        break;
                }
            }

            pieceStart = LastPieceStart(sb, pieceStart);
            i = end;
        }
    }

    private static int LastPieceStart(StringBuilder sb, int floor)
    {
        for (var k = sb.Length - 1; k >= floor; k--)
        {
            if (sb[k] == ' ')
            {
                return k + 1;
            }
        }

        return floor;
    }

    private enum RunKind { Letters, Digits, Symbol }

    private static RunKind Classify(ReadOnlySpan<char> token, int i)
    {
        var c = token[i];
        if (char.IsAsciiDigit(c))
        {
            return RunKind.Digits;
        }

        if (char.IsHighSurrogate(c) && i + 1 < token.Length)
        {
            return System.Text.Rune.TryCreate(c, token[i + 1], out var rune) && System.Text.Rune.IsLetter(rune) ? RunKind.Letters : RunKind.Symbol;
        }

        return char.IsLetter(c) || IsMark(c) ? RunKind.Letters : RunKind.Symbol;
    }

    private static int RunEnd(ReadOnlySpan<char> token, int i, RunKind kind)
    {
        var j = i;
        while (j < token.Length)
        {
            var k = Classify(token, j);
            if (k != kind && !(kind == RunKind.Letters && IsMark(token[j])))
            {
                break;
            }

            j += char.IsHighSurrogate(token[j]) && j + 1 < token.Length ? 2 : 1;
            if (kind == RunKind.Symbol)
            {
                break; // symbols are taken one at a time so runs of different symbols are handled alike
            }
        }

        return j;
    }

    private static bool IsMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    // Cuts a letter run into pieces of about pieceChars, never inside a surrogate pair or before a combining mark.
    private static void AppendPieces(StringBuilder sb, ReadOnlySpan<char> run, int pieceChars)
    {
        var length = 0;
        for (var i = 0; i < run.Length; i++)
        {
            var c = run[i];
            var startsCharacter = !char.IsLowSurrogate(c) && !IsMark(c);
            if (startsCharacter && length >= pieceChars)
            {
                sb.Append(' ');
                length = 0;
            }

            sb.Append(c);
            length++;
        }
    }

    // One letter at a time, a comma after every group so a random string is read in breathable pieces.
    private static void AppendSpelled(StringBuilder sb, ReadOnlySpan<char> run)
    {
        for (var i = 0; i < run.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(i % SpellGroup == 0 ? ", " : " ");
            }

            sb.Append(run[i]);
        }
    }

    // "12345678" → "1234, 5678": the engine reads short numbers in its own language, with a pause between them.
    private static void AppendDigitGroups(StringBuilder sb, ReadOnlySpan<char> run)
    {
        for (var i = 0; i < run.Length; i += DigitGroup)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(run.Slice(i, Math.Min(DigitGroup, run.Length - i)));
        }
    }

    private static void AppendSymbols(StringBuilder sb, ReadOnlySpan<char> run)
    {
        // A run of one repeated symbol ("!!!!!!!!") says nothing more than three of them.
        var last = sb.Length > 0 ? sb[^1] : '\0';
        var repeats = 0;
        for (var k = sb.Length - 1; k >= 0 && sb[k] == last && repeats < MaxSymbolRun; k--)
        {
            repeats++;
        }

        if (run.Length == 1 && run[0] == last && repeats >= MaxSymbolRun)
        {
            return;
        }

        sb.Append(run);
    }
}
