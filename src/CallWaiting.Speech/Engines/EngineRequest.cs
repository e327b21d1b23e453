namespace CallWaiting.Speech.Engines;

/// <summary>One engine call: a sentence-sized chunk of normalized text and the prosody to speak it with.</summary>
/// <param name="Voice">The engine voice's native name.</param>
/// <param name="Text">Normalized text, at most the engine's MaxChunkChars.</param>
/// <param name="Prosody">Rate, pitch and volume for this chunk.</param>
/// <param name="Phonemes">When set, speak these phonemes (in the engine's own alphabet) instead of the text.</param>
/// <param name="Seed">Random seed for engines that sample.</param>
/// <param name="Continuation">
/// A later chunk of a stream that has already started: schedulers serve it ahead of new requests and never refuse it as
/// overloaded, so an admitted stream cannot fail halfway because others arrived. Not sent to engines.
/// </param>
public sealed record EngineRequest(string Voice, string Text, Prosody Prosody, string? Phonemes = null, int? Seed = null, bool Continuation = false);

/// <summary>Relative prosody: 1.0 is the voice's default for each.</summary>
/// <param name="Rate">Speaking rate multiplier (0.5 is half as fast).</param>
/// <param name="Pitch">Pitch multiplier.</param>
/// <param name="Volume">Amplitude multiplier.</param>
public readonly record struct Prosody(double Rate = 1.0, double Pitch = 1.0, double Volume = 1.0)
{
    /// <summary>The voice's defaults.</summary>
    public static readonly Prosody Default = new(1.0, 1.0, 1.0);
}
