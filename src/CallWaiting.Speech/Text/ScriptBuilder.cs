using System.Text;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>
/// Turns parsed runs into a <see cref="SpeechScript"/>: sanitizes and normalizes written text, caps token lengths,
/// splits sentences, chunks them to the engine's limit and marks sentence ends. Adjacent runs with the same prosody
/// are joined first, so a rule can see "$42.50" even when markup such as &lt;mark/&gt; sits in the middle of it.
/// </summary>
internal sealed class ScriptBuilder(ITextNormalizer normalizer, string language, int maxChunkChars, int maxTokenChars)
{
    private readonly List<SpeechSegment> _segments = [];
    private readonly StringBuilder _written = new();
    private readonly StringBuilder _spoken = new();
    private Prosody _prosody = Prosody.Default;

    /// <summary>Builds the script from <paramref name="runs"/>.</summary>
    public SpeechScript Build(IReadOnlyList<ScriptRun> runs)
    {
        foreach (var run in runs)
        {
            switch (run)
            {
                case WrittenRun written:
                    Switch(written.Prosody);
                    _written.Append(written.Text);
                    break;
                case SpokenRun spoken:
                    Switch(spoken.Prosody);
                    FlushWritten();
                    AppendSpoken(spoken.Text);
                    break;
                case PhonemeRun phoneme:
                    Flush(sentenceEnd: false);
                    AddPhoneme(phoneme);
                    break;
                case PauseRun pause:
                    Flush(sentenceEnd: false);
                    AddPause(pause.Duration);
                    break;
                case BoundaryRun:
                    Flush(sentenceEnd: true);
                    break;
            }
        }

        Flush(sentenceEnd: true);
        return new SpeechScript(_segments);
    }

    // A different prosody starts a new chunk: one engine call has one prosody.
    private void Switch(Prosody prosody)
    {
        if (prosody != _prosody)
        {
            Flush(sentenceEnd: false);
            _prosody = prosody;
        }
    }

    private void FlushWritten()
    {
        if (_written.Length == 0)
        {
            return;
        }

        var normalized = normalizer.Normalize(TextSanitizer.Clean(_written.ToString()), language);
        _written.Clear();
        AppendSpoken(normalized);
    }

    private void AppendSpoken(string text)
    {
        if (_spoken.Length > 0 && text.Length > 0)
        {
            if (char.IsWhiteSpace(_spoken[^1]))
            {
                text = text.TrimStart(' '); // runs are cleaned, so the only doubling can come from the join
            }
            else if (!char.IsWhiteSpace(text[0]))
            {
                _spoken.Append(' ');
            }
        }

        _spoken.Append(text);
    }

    private void Flush(bool sentenceEnd)
    {
        FlushWritten();
        if (_spoken.Length > 0)
        {
            var text = LongTokenGuard.Apply(_spoken.ToString(), maxTokenChars);
            _spoken.Clear();
            var chunks = new List<(string Text, bool EndsSentence)>();
            foreach (var sentence in SentenceSplitter.Split(text))
            {
                TextChunker.Split(text.AsSpan(sentence.Start, sentence.End - sentence.Start), maxChunkChars, sentence.Final, chunks);
            }

            foreach (var (chunk, ends) in chunks)
            {
                _segments.Add(new SpokenText(chunk, _prosody, ends));
            }
        }

        if (sentenceEnd && _segments.Count > 0 && _segments[^1] is SpokenText { EndsSentence: false } last)
        {
            _segments[^1] = last with { EndsSentence = true };
        }
    }

    private void AddPhoneme(PhonemeRun run)
    {
        var text = LongTokenGuard.Apply(normalizer.Normalize(TextSanitizer.Clean(run.Text), language), maxTokenChars).Trim();
        if (text.Length == 0)
        {
            throw new TextInputException("SSML: <phoneme> needs text content, which is spoken where phonemes are not supported");
        }

        if (text.Length > maxChunkChars || run.Phonemes.Length > maxChunkChars)
        {
            throw new TextInputException($"SSML: <phoneme> text and ph must each be at most {maxChunkChars} characters");
        }

        _segments.Add(new SpokenText(text, run.Prosody, false, run.Phonemes, run.Alphabet));
    }

    private void AddPause(TimeSpan duration)
    {
        if (_segments.Count > 0 && _segments[^1] is Pause previous)
        {
            _segments[^1] = new Pause(previous.Duration + duration);
            return;
        }

        _segments.Add(new Pause(duration));
    }
}
