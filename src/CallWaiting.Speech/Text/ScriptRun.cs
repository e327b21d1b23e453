using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>One piece of parsed input, before normalization and chunking.</summary>
internal abstract record ScriptRun;

/// <summary>Written text to sanitize and normalize.</summary>
internal sealed record WrittenRun(string Text, Prosody Prosody) : ScriptRun;

/// <summary>Text that is already in spoken form (say-as output, a sub alias): sanitized but not normalized again.</summary>
internal sealed record SpokenRun(string Text, Prosody Prosody) : ScriptRun;

/// <summary>A pronunciation with its written fallback.</summary>
internal sealed record PhonemeRun(string Text, string Phonemes, string? Alphabet, Prosody Prosody) : ScriptRun;

/// <summary>A silence.</summary>
internal sealed record PauseRun(TimeSpan Duration) : ScriptRun;

/// <summary>The end of a sentence or paragraph (&lt;/s&gt;, &lt;/p&gt;, the end of the input).</summary>
internal sealed record BoundaryRun : ScriptRun
{
    /// <summary>The shared instance.</summary>
    public static readonly BoundaryRun Instance = new();
}
