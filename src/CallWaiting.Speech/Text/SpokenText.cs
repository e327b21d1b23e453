using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>A normalized, sentence- or clause-sized chunk of text for one engine call.</summary>
/// <param name="Text">What to say, already normalized; no longer than the chunk limit it was built for.</param>
/// <param name="Prosody">Rate, pitch and volume to say it with.</param>
/// <param name="EndsSentence">The chunk ends a sentence, so the synthesizer may add inter-sentence silence after it.</param>
/// <param name="Phonemes">When set (from SSML &lt;phoneme&gt;), the pronunciation; <paramref name="Text"/> is the fallback.</param>
/// <param name="PhonemeAlphabet">The alphabet of <paramref name="Phonemes"/> as the SSML named it ("ipa", "x-sampa").</param>
public sealed record SpokenText(
    string Text,
    Prosody Prosody,
    bool EndsSentence,
    string? Phonemes = null,
    string? PhonemeAlphabet = null) : SpeechSegment;
