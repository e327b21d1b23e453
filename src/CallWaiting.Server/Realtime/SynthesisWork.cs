namespace CallWaiting.Server.Realtime;

/// <summary>An entry of a session's synthesis queue, tagged with the barge-in generation it belongs to.</summary>
/// <param name="Generation">Entries of an older generation than the session's were cleared and are skipped.</param>
internal abstract record SynthesisWork(long Generation);

/// <summary>Text to synthesize as one utterance.</summary>
/// <param name="Generation">The barge-in generation.</param>
/// <param name="Sequence">1, 2, 3… within the session (names the Twilio mark).</param>
/// <param name="Text">The utterance, trimmed.</param>
internal sealed record Utterance(long Generation, int Sequence, string Text) : SynthesisWork(Generation);

/// <summary>The end of a flush: everything before it is metered and answered with flush_done.</summary>
/// <param name="Generation">The barge-in generation.</param>
internal sealed record FlushMarker(long Generation) : SynthesisWork(Generation);
