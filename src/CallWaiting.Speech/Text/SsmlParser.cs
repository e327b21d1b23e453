using System.Text;
using System.Xml;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>
/// Reads the supported SSML subset into script runs with System.Xml, safely: DTDs (and so external and expanding
/// entities: XXE, billion laughs) are refused, nothing is resolved, and document size, nesting depth, element count
/// and total break time are capped. &lt;speak&gt;, &lt;p&gt;, &lt;s&gt;, &lt;break&gt;, &lt;prosody&gt;, &lt;say-as&gt;,
/// &lt;sub&gt;, &lt;emphasis&gt; and &lt;phoneme&gt; have their meaning; &lt;voice&gt;, &lt;lang&gt;, &lt;mark&gt;,
/// &lt;audio&gt; and unknown elements are ignored but their text is spoken. xml:lang is ignored too: the voice, chosen
/// per request, decides the language.
/// </summary>
internal sealed class SsmlParser
{
    private const string Wrapper = "<speak>";

    private readonly TextFrontEndOptions _options;
    private readonly ITextNormalizer _normalizer;
    private readonly string _language;
    private readonly List<ScriptRun> _runs = [];
    private readonly Stack<Frame> _frames = new();
    private XmlReader _reader = null!;
    private int _lineOneShift;
    private int _elements;
    private TimeSpan _totalBreak;

    private SsmlParser(TextFrontEndOptions options, ITextNormalizer normalizer, string language)
    {
        _options = options;
        _normalizer = normalizer;
        _language = language;
    }

    private enum Capture { None, SayAs, Sub, Phoneme }

    // One open element: the prosody inside it and, for elements whose text has its own meaning, what to collect.
    private sealed record Frame(string Name, Prosody Prosody, bool Sentence, Capture Capture = Capture.None, StringBuilder? Text = null, object? Detail = null);

    /// <summary>
    /// Parses <paramref name="ssml"/> (already stripped of unspeakable characters). A fragment that does not start
    /// with &lt;speak&gt; or an XML declaration is wrapped in one.
    /// </summary>
    public static List<ScriptRun> Parse(string ssml, TextFrontEndOptions options, ITextNormalizer normalizer, string language)
    {
        var parser = new SsmlParser(options, normalizer, language);
        var trimmed = ssml.AsSpan().TrimStart();
        var wrap = !trimmed.StartsWith("<speak", StringComparison.Ordinal) && !trimmed.StartsWith("<?xml", StringComparison.Ordinal);
        parser._lineOneShift = wrap ? Wrapper.Length : 0;
        parser.Run(wrap ? Wrapper + ssml + "</speak>" : ssml);
        return parser._runs;
    }

    private void Run(string document)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = (long)_options.MaxInputChars + 64,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            ConformanceLevel = ConformanceLevel.Document,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(document), settings);
            _reader = reader;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        StartElement();
                        break;
                    case XmlNodeType.EndElement:
                        EndElement();
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        AddText(reader.Value);
                        break;
                }
            }
        }
        catch (XmlException ex)
        {
            var (line, position) = ex.LineNumber > 0 ? (ex.LineNumber, ex.LinePosition) : Locate(document, document.IndexOf("<!DOCTYPE", StringComparison.Ordinal));
            throw new TextInputException($"SSML: {Describe(ex.Message)} {Where(line, position)}", ex);
        }
    }

    // 1-based line and position of an index, for errors the reader reports without one.
    private static (int Line, int Position) Locate(string document, int index)
    {
        if (index < 0)
        {
            return (1, 1);
        }

        var lineStart = document.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return (document.AsSpan(0, index).Count('\n') + 1, index - lineStart + 1);
    }

    // XmlException messages name reader settings and the wrapper we may have added; say the problem in SSML terms.
    private static string Describe(string message)
    {
        if (message.Contains("DTD", StringComparison.Ordinal))
        {
            return "DOCTYPE declarations are not allowed";
        }

        const string EndTagOf = "end tag of '";
        var endTag = message.IndexOf(EndTagOf, StringComparison.Ordinal);
        if (endTag >= 0 && message.IndexOf('\'', endTag + EndTagOf.Length) is var close and > 0)
        {
            return $"unexpected end tag </{message[(endTag + EndTagOf.Length)..close]}>";
        }

        if (message.StartsWith("Unexpected end of file", StringComparison.Ordinal))
        {
            var notClosed = message.IndexOf("not closed: ", StringComparison.Ordinal);
            return notClosed < 0 ? "unexpected end of document"
                : "unclosed element(s) " + message[(notClosed + 12)..].TrimEnd().TrimEnd('.').Replace(", speak", string.Empty, StringComparison.Ordinal);
        }

        var cut = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }

    private void StartElement()
    {
        if (++_elements > _options.MaxSsmlElements)
        {
            throw Error($"more than {_options.MaxSsmlElements} elements");
        }

        if (_reader.Depth + 1 > _options.MaxSsmlDepth)
        {
            throw Error($"elements are nested more than {_options.MaxSsmlDepth} deep");
        }

        var name = _reader.LocalName;
        if (_frames.Count == 0 && name != "speak")
        {
            throw Error($"the root element must be <speak>, not <{name}>");
        }

        var outer = _frames.Count > 0 ? _frames.Peek() : new Frame("", Prosody.Default, false);
        var empty = _reader.IsEmptyElement;
        _frames.Push(outer.Capture != Capture.None ? outer with { Name = name } : Open(name, outer));
        if (empty)
        {
            EndElement();
        }
    }

    private Frame Open(string name, Frame outer)
    {
        switch (name)
        {
            case "p" or "s":
                _runs.Add(BoundaryRun.Instance);
                return new Frame(name, outer.Prosody, Sentence: true);
            case "break":
                var time = Attribute("time");
                var pause = SsmlValues.Break(time, Attribute("strength"), _options.MaxBreak)
                    ?? throw Error(time is null ? $"invalid <break> strength {Quote(Attribute("strength"))}" : $"invalid <break> time {Quote(time)}");
                _totalBreak += pause;
                if (_totalBreak > _options.MaxTotalBreak)
                {
                    throw Error($"breaks add up to more than {_options.MaxTotalBreak.TotalSeconds:0.###} seconds");
                }

                if (pause > TimeSpan.Zero)
                {
                    _runs.Add(new PauseRun(pause));
                }

                return outer with { Name = name };
            case "prosody":
                var prosody = new Prosody(
                    Value("rate", SsmlValues.Rate) ?? 1.0,
                    Value("pitch", SsmlValues.Pitch) ?? 1.0,
                    Value("volume", SsmlValues.Volume) ?? 1.0);
                return new Frame(name, SsmlValues.Combine(outer.Prosody, prosody), false);
            case "emphasis":
                var emphasis = SsmlValues.Emphasis(Attribute("level")) ?? throw Error($"invalid <emphasis> level {Quote(Attribute("level"))}");
                return new Frame(name, SsmlValues.Combine(outer.Prosody, emphasis), false);
            case "say-as":
                return new Frame(name, outer.Prosody, false, Capture.SayAs, new StringBuilder(), SayAsOf(Attribute("interpret-as"), Attribute("format")));
            case "sub":
                var alias = Attribute("alias") ?? throw Error("<sub> needs an alias attribute");
                return new Frame(name, outer.Prosody, false, Capture.Sub, null, alias);
            case "phoneme":
                var ph = Attribute("ph");
                if (string.IsNullOrWhiteSpace(ph))
                {
                    throw Error("<phoneme> needs a ph attribute");
                }

                return new Frame(name, outer.Prosody, false, Capture.Phoneme, new StringBuilder(), (ph, Attribute("alphabet")));
            default:
                return new Frame(name, outer.Prosody, false); // speak, voice, lang, mark, audio and unknown elements
        }
    }

    private void EndElement()
    {
        var frame = _frames.Pop();
        var owner = _frames.Count == 0 || _frames.Peek().Capture == Capture.None;
        if (!owner)
        {
            return; // an element nested inside say-as, sub or phoneme: only its text counts
        }

        switch (frame.Capture)
        {
            case Capture.SayAs when frame.Detail is SayAs sayAs:
                _runs.Add(new SpokenRun(_normalizer.SayAs(TextSanitizer.Clean(frame.Text!.ToString()), sayAs, _language), frame.Prosody));
                break;
            case Capture.SayAs:
                _runs.Add(new WrittenRun(frame.Text!.ToString(), frame.Prosody)); // an interpretation we do not know: plain text
                break;
            case Capture.Sub:
                _runs.Add(new SpokenRun(TextSanitizer.Clean((string)frame.Detail!), frame.Prosody));
                break;
            case Capture.Phoneme:
                var (ph, alphabet) = ((string, string?))frame.Detail!;
                _runs.Add(new PhonemeRun(frame.Text!.ToString(), TextSanitizer.Clean(ph).Trim(), alphabet, frame.Prosody));
                break;
        }

        if (frame.Sentence)
        {
            _runs.Add(BoundaryRun.Instance);
        }
    }

    private void AddText(string text)
    {
        if (_frames.Count == 0)
        {
            return;
        }

        var frame = _frames.Peek();
        if (frame.Capture == Capture.None)
        {
            _runs.Add(new WrittenRun(text, frame.Prosody));
        }
        else
        {
            frame.Text?.Append(text); // sub's own text is replaced by its alias
        }
    }

    private static SayAs? SayAsOf(string? interpretAs, string? format)
    {
        SayAsInterpretation? kind = interpretAs?.Trim().ToLowerInvariant() switch
        {
            "characters" or "spell-out" or "verbatim" => SayAsInterpretation.Characters,
            "digits" or "number_digits" => SayAsInterpretation.Digits,
            "cardinal" or "number" => SayAsInterpretation.Cardinal,
            "ordinal" => SayAsInterpretation.Ordinal,
            "telephone" => SayAsInterpretation.Telephone,
            "date" => SayAsInterpretation.Date,
            "time" => SayAsInterpretation.Time,
            "currency" => SayAsInterpretation.Currency,
            _ => null,
        };
        return kind is { } k ? new SayAs(k, format) : null;
    }

    private double? Value(string attribute, Func<string, double?> parse)
    {
        var value = Attribute(attribute);
        if (value is null)
        {
            return null;
        }

        return parse(value.Trim()) ?? throw Error($"invalid <{_reader.LocalName}> {attribute} {Quote(value)}");
    }

    private string? Attribute(string name) => _reader.GetAttribute(name);

    // Attribute values are caller input: quote them, but never echo an unbounded string into an error message.
    private static string Quote(string? value) =>
        value is null ? "(missing)" : "'" + (value.Length > 40 ? value[..40] + "…" : value) + "'";

    private IXmlLineInfo Info => (IXmlLineInfo)_reader;

    private TextInputException Error(string problem) =>
        new($"SSML: {problem} {Where(Info.LineNumber, Info.LinePosition)}");

    private string Where(int line, int position) =>
        $"on line {line}, position {(line == 1 ? Math.Max(1, position - _lineOneShift) : position)}";
}
