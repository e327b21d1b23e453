using System.Buffers;
using System.Globalization;
using System.Text;

namespace CallWaiting.Speech.Text;

/// <summary>
/// Language-neutral cleaning: removes what no engine can speak usefully (control and format characters, NUL,
/// lone surrogates, zero-width characters, emoji and pictographs, private-use and unassigned code points,
/// runaway combining marks) and collapses whitespace. Right-to-left scripts pass through untouched.
/// </summary>
internal static class TextSanitizer
{
    /// <summary>Paragraph marker in cleaned text: a hard sentence boundary for the splitter.</summary>
    public const char Paragraph = '\n';

    // More stacked marks than this on one base is "zalgo" text; real scripts (Devanagari, Thai, Vietnamese) need fewer.
    private const int MaxCombiningMarks = 4;

    /// <summary>
    /// Strips unspeakable characters, collapses whitespace to single spaces (two or more line breaks become one
    /// <see cref="Paragraph"/>) and applies NFC. A leading or trailing space survives, as one space, because SSML
    /// text nodes are joined later and the space between them matters.
    /// </summary>
    public static string Clean(string text) => Filter(text, collapseWhitespace: true);

    /// <summary>
    /// Strips unspeakable characters but keeps every whitespace character and does not normalize, so SSML markup
    /// and its line/position numbers stay as written.
    /// </summary>
    public static string StripForMarkup(string text) => Filter(text, collapseWhitespace: false);

    private static string Filter(string text, bool collapseWhitespace)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(text.Length, 1));
        try
        {
            var length = 0;
            var marks = 0;
            var lineBreaks = -1; // -1: not inside a whitespace run
            var span = text.AsSpan();
            var i = 0;
            while (i < span.Length)
            {
                var status = Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed);
                i += consumed;
                if (status != OperationStatus.Done)
                {
                    continue; // a lone or invalid surrogate
                }

                if (IsWhitespace(rune.Value))
                {
                    if (!collapseWhitespace)
                    {
                        buffer[length++] = rune.Value is '\t' or '\n' or '\r' ? (char)rune.Value : ' ';
                        continue;
                    }

                    lineBreaks = Math.Max(lineBreaks, 0) + LineBreakWeight(rune.Value, span, i);
                    marks = 0;
                    continue;
                }

                if (IsUnspeakable(rune))
                {
                    continue;
                }

                var category = Rune.GetUnicodeCategory(rune);
                if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
                {
                    if (++marks > MaxCombiningMarks)
                    {
                        continue;
                    }
                }
                else
                {
                    marks = 0;
                }

                if (lineBreaks >= 0)
                {
                    buffer[length++] = lineBreaks >= 2 ? Paragraph : ' ';
                    lineBreaks = -1;
                }

                length += rune.EncodeToUtf16(buffer.AsSpan(length));
            }

            if (lineBreaks >= 0)
            {
                buffer[length++] = ' ';
            }

            var result = new string(buffer, 0, length);
            return collapseWhitespace && !result.IsNormalized(NormalizationForm.FormC)
                ? result.Normalize(NormalizationForm.FormC)
                : result;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool IsWhitespace(int c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000
        || c is >= 0x2000 and <= 0x200A;

    // CR LF counts once; a paragraph separator alone counts as a paragraph.
    private static int LineBreakWeight(int c, ReadOnlySpan<char> text, int next) => c switch
    {
        '\r' => next < text.Length && text[next] == '\n' ? 0 : 1,
        '\n' or '\v' or '\f' or 0x85 or 0x2028 => 1,
        0x2029 => 2,
        _ => 0,
    };

    private static bool IsUnspeakable(Rune rune)
    {
        var c = rune.Value;
        if (IsPictograph(c))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    // Emoji blocks, dingbats, pictographic symbols and the invisible emoji machinery (variation selectors, keycap).
    private static bool IsPictograph(int c) =>
        c is >= 0x1F000 and <= 0x1FAFF
        or >= 0x2600 and <= 0x27BF
        or >= 0x2B00 and <= 0x2BFF
        or >= 0x231A and <= 0x231B
        or >= 0x23E9 and <= 0x23FA
        or >= 0xFE00 and <= 0xFE0F
        or >= 0xE0100 and <= 0xE01EF
        or 0x20E3 or 0x3030 or 0x303D or 0x3297 or 0x3299
        or 0xFFFC or 0xFFFD; // object and replacement characters: traces of broken decoding, nothing to say
}
