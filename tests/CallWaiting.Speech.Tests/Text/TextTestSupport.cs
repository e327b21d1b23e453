using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

/// <summary>Shared helpers for the text front-end tests.</summary>
internal static class TextTestSupport
{
    public static readonly TextFrontEnd FrontEnd = new(new TextFrontEndOptions());

    /// <summary>Runs plain text through the front end and joins the spoken chunks with spaces.</summary>
    public static string Speak(string input, string language = "en-US", int maxChunkChars = 400) =>
        Join(FrontEnd.Process(input, ssml: false, language, maxChunkChars));

    /// <summary>Runs SSML through the front end.</summary>
    public static SpeechScript Ssml(string input, string language = "en-US", int maxChunkChars = 400) =>
        FrontEnd.Process(input, ssml: true, language, maxChunkChars);

    /// <summary>The spoken chunks' text, joined with spaces.</summary>
    public static string Join(SpeechScript script) =>
        string.Join(' ', script.Segments.OfType<SpokenText>().Select(s => s.Text));

    /// <summary>Asserts the invariants every script must hold: chunk and token caps, no empty chunks, no raw control characters.</summary>
    public static void AssertWellFormed(SpeechScript script, int maxChunkChars, int maxTokenChars = 32)
    {
        Assert.Contains(script.Segments, s => s is SpokenText);
        foreach (var segment in script.Segments)
        {
            switch (segment)
            {
                case SpokenText spoken:
                    Assert.False(string.IsNullOrWhiteSpace(spoken.Text));
                    Assert.True(spoken.Text.Length <= maxChunkChars, $"chunk of {spoken.Text.Length} chars: {spoken.Text[..Math.Min(60, spoken.Text.Length)]}");
                    Assert.Equal(spoken.Text.Trim(), spoken.Text);
                    foreach (var token in spoken.Text.Split(' '))
                    {
                        Assert.True(token.Length <= maxTokenChars, $"token of {token.Length} chars: {token[..Math.Min(60, token.Length)]}");
                    }

                    Assert.DoesNotContain(spoken.Text, char.IsControl);
                    Assert.False(HasLoneSurrogate(spoken.Text), "lone surrogate in chunk");
                    break;
                case Pause pause:
                    Assert.True(pause.Duration > TimeSpan.Zero);
                    break;
            }
        }
    }

    /// <summary>True when a surrogate is not part of a high-low pair (pairs are fine: supplementary letters).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
