using System.Text;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

/// <summary>
/// Thousands of random and hostile inputs, from fixed seeds: each must give a well-formed script (every chunk within
/// its limit, every token within the cap) or a <see cref="TextInputException"/>, never any other exception.
/// </summary>
public sealed class TextFuzzTests
{
    private static readonly string[] Elements = ["s", "p", "prosody", "emphasis", "say-as", "sub", "phoneme", "voice", "lang", "mark", "audio", "break", "blink"];

    private static readonly string[] Attributes =
    [
        "rate=\"fast\"", "rate=\"80%\"", "rate=\"-300%\"", "rate=\"1e9\"", "pitch=\"+2st\"", "pitch=\"-50Hz\"", "pitch=\"x\"", "volume=\"+6dB\"",
        "volume=\"silent\"", "time=\"500ms\"", "time=\"20s\"", "time=\"-1s\"", "strength=\"strong\"", "interpret-as=\"characters\"",
        "interpret-as=\"date\" format=\"dmy\"", "interpret-as=\"telephone\"", "interpret-as=\"currency\"", "alias=\"the alias\"",
        "ph=\"həˈləʊ\" alphabet=\"ipa\"", "level=\"strong\"", "name=\"x\"", "xml:lang=\"fr\"", "bogus=\"&amp;\"",
    ];

    private static readonly string[] Words =
    [
        "hello", "$42.50", "555-0199", "9:30 AM", "12/03/2025", "Dr.", "St.", "1,234,567", "3.14", "-5", "21st", "5 km", "72°F", "50%",
        "https://www.example.com/a?b=c", "a@b.co", "&amp;", "&lt;", "#1", "😀", "مرحبا", "שלום", "你好。", "\u200B", "...", "e.g.", "x",
        new string('9', 60), new string('q', 70), "—", "\"quoted.\"", "(415) 555-0199", "+1 415 555 0199", "$5M", "1990s",
    ];

    [Fact]
    public void Random_unicode_never_escapes_the_contract()
    {
        var random = new Random(20251203);
        for (var i = 0; i < 2_000; i++)
        {
            var length = random.Next(0, i % 50 == 0 ? 3_000 : 120);
            var sb = new StringBuilder(length);
            for (var k = 0; k < length; k++)
            {
                sb.Append(random.Next(10) switch
                {
                    < 4 => (char)random.Next(0x20, 0x7F),
                    < 6 => (char)random.Next(0, 0x10000), // includes lone surrogates and controls
                    < 7 => ' ',
                    < 8 => (char)random.Next('0', '9' + 1),
                    _ => char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))[0],
                });
            }

            Check(sb.ToString(), ssml: random.Next(4) == 0, maxChunkChars: random.Next(TextFrontEnd.MinChunkChars, 300), language: random.Next(3) switch { 0 => "en-US", 1 => "en-GB", _ => "fr" });
        }
    }

    [Fact]
    public void Grammar_built_ssml_never_escapes_the_contract()
    {
        var random = new Random(42);
        for (var i = 0; i < 2_000; i++)
        {
            var sb = new StringBuilder("<speak>");
            AppendContent(sb, random, depth: 0);
            sb.Append("</speak>");
            Check(sb.ToString(), ssml: false, maxChunkChars: random.Next(TextFrontEnd.MinChunkChars, 300), language: random.Next(2) == 0 ? "en-US" : "de");
        }
    }

    [Fact]
    public void Mutated_valid_ssml_never_escapes_the_contract()
    {
        const string valid = "<speak><p><s>Your balance is <say-as interpret-as=\"currency\">$42.50</say-as>.</s>"
            + "<s>Call <prosody rate=\"slow\" pitch=\"+2st\">555-0199</prosody><break time=\"300ms\"/> at 9:30 AM.</s></p>"
            + "<p>The <sub alias=\"World Wide Web Consortium\">W3C</sub> said <phoneme alphabet=\"ipa\" ph=\"təˈmeɪtoʊ\">tomato</phoneme>"
            + " &amp; <emphasis level=\"strong\">Dr. Smith</emphasis> agreed.</p></speak>";
        const string alphabet = "<>/=\"'& ;:#!?-.\0\uD800😀abc123";
        var random = new Random(1234);
        for (var i = 0; i < 3_000; i++)
        {
            var chars = new StringBuilder(valid);
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(chars.Length);
                switch (random.Next(3))
                {
                    case 0: chars.Remove(at, Math.Min(random.Next(1, 8), chars.Length - at)); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            Check(chars.ToString(), ssml: true, maxChunkChars: random.Next(TextFrontEnd.MinChunkChars, 120), language: "en-US");
        }
    }

    private static void AppendContent(StringBuilder sb, Random random, int depth)
    {
        var items = random.Next(1, 6);
        for (var i = 0; i < items; i++)
        {
            if (depth < 40 && random.Next(3) == 0)
            {
                var name = Elements[random.Next(Elements.Length)];
                sb.Append('<').Append(name);
                for (var a = random.Next(3); a > 0; a--)
                {
                    sb.Append(' ').Append(Attributes[random.Next(Attributes.Length)]);
                }

                if (random.Next(5) == 0)
                {
                    sb.Append("/>");
                    continue;
                }

                sb.Append('>');
                AppendContent(sb, random, depth + 1);
                sb.Append("</").Append(name).Append('>');
            }
            else
            {
                sb.Append(Words[random.Next(Words.Length)]).Append(random.Next(4) == 0 ? ". " : " ");
            }
        }
    }

    private static void Check(string input, bool ssml, int maxChunkChars, string language)
    {
        SpeechScript script;
        try
        {
            script = TextTestSupport.FrontEnd.Process(input, ssml, language, maxChunkChars);
        }
        catch (TextInputException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return;
        }

        TextTestSupport.AssertWellFormed(script, maxChunkChars);
    }
}
