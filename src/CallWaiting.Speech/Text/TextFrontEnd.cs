using System.Text.RegularExpressions;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>
/// The text front end that runs before any engine sees text: sanitizes, parses SSML, normalizes for the language
/// (numbers, money, dates...), caps token length, splits sentences and chunks them to the engine's limit.
/// Thread-safe: it keeps no per-request state.
/// </summary>
public sealed class TextFrontEnd
{
    /// <summary>Smallest chunk limit accepted; below it no useful clause fits.</summary>
    public const int MinChunkChars = 16;

    private readonly TextFrontEndOptions _options;

    /// <summary>Creates a front end with the given limits and language normalizers.</summary>
    public TextFrontEnd(TextFrontEndOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInputChars, 1, nameof(options.MaxInputChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokenChars, 16, nameof(options.MaxTokenChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSsmlDepth, 1, nameof(options.MaxSsmlDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSsmlElements, 1, nameof(options.MaxSsmlElements));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBreak, TimeSpan.Zero, nameof(options.MaxBreak));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTotalBreak, TimeSpan.Zero, nameof(options.MaxTotalBreak));
        ArgumentNullException.ThrowIfNull(options.Normalizers, nameof(options.Normalizers));
        _options = options;
    }

    /// <summary>
    /// Turns text or SSML into a script of chunks of at most <paramref name="maxChunkChars"/> characters. Input that
    /// starts with &lt;speak is read as SSML even when <paramref name="ssml"/> is false.
    /// </summary>
    /// <param name="input">The caller's text or SSML.</param>
    /// <param name="ssml">Whether the input is SSML (a fragment without &lt;speak&gt; is wrapped in one).</param>
    /// <param name="language">BCP-47 tag of the voice; it picks the normalizer and locale details such as date order.</param>
    /// <param name="maxChunkChars">The engine's longest chunk.</param>
    /// <exception cref="TextInputException">The input is empty, too long, or malformed SSML.</exception>
    public SpeechScript Process(string input, bool ssml, string language, int maxChunkChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkChars, MinChunkChars);
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new TextInputException("Text is empty");
        }

        if (input.Length > _options.MaxInputChars)
        {
            throw new TextInputException($"Text is {input.Length} characters long; the limit is {_options.MaxInputChars}");
        }

        language = (language ?? string.Empty).Trim();
        var normalizer = NormalizerFor(language);
        try
        {
            IReadOnlyList<ScriptRun> runs;
            var stripped = TextSanitizer.StripForMarkup(input);
            if (ssml || stripped.AsSpan().TrimStart().StartsWith("<speak", StringComparison.Ordinal))
            {
                runs = SsmlParser.Parse(stripped, _options, normalizer, language);
            }
            else
            {
                runs = [new WrittenRun(input, Prosody.Default)];
            }

            var script = new ScriptBuilder(normalizer, language, maxChunkChars, _options.MaxTokenChars).Build(runs);
            if (!script.Segments.Any(s => s is SpokenText))
            {
                throw new TextInputException("Text has nothing to speak once control characters, emoji and markup are removed");
            }

            return script;
        }
        catch (RegexMatchTimeoutException ex)
        {
            // Patterns are linear-time; this only fires on a starved machine, and is still the caller's input to retry.
            throw new TextInputException("Text took too long to normalize", ex);
        }
    }

    // The normalizer with the longest language prefix matching the tag ("en" for "en-GB"), or the neutral steps.
    private ITextNormalizer NormalizerFor(string language)
    {
        ITextNormalizer best = NeutralNormalizer.Instance;
        var bestLength = 0;
        foreach (var normalizer in _options.Normalizers)
        {
            foreach (var prefix in normalizer.Languages)
            {
                var matches = language.Equals(prefix, StringComparison.OrdinalIgnoreCase)
                    || language.Length > prefix.Length && language.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    && language[prefix.Length] is '-' or '_';
                if (matches && prefix.Length > bestLength)
                {
                    best = normalizer;
                    bestLength = prefix.Length;
                }
            }
        }

        return best;
    }
}
