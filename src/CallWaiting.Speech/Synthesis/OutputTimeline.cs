using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// Tracks where input audio lands in the output stream: it enforces the duration cap and moves word
/// boundaries from engine-chunk offsets to offsets in the chunks actually emitted (the pipeline's latency
/// means a word can come out in a later chunk than the one it went in with).
/// </summary>
internal sealed class OutputTimeline(int outputRate, double outputSamplesPerInputSample, long maxOutputSamples)
{
    private readonly Queue<WordBoundary> _pending = new();
    private long _inputPosition;
    private long _outputPosition;

    /// <summary>True once the duration cap is reached; callers stop synthesizing.</summary>
    public bool Full => _outputPosition >= maxOutputSamples;

    /// <summary>
    /// Accounts for <paramref name="inputSamples"/> consumed and <paramref name="output"/> produced, returning the
    /// chunk to emit (null when there is nothing to send).
    /// </summary>
    public AudioChunk? Emit(float[] output, int inputSamples, IReadOnlyList<WordBoundary> inputWords, bool final = false)
    {
        foreach (var w in inputWords)
        {
            var start = (long)Math.Round((_inputPosition + w.SampleOffset) * outputSamplesPerInputSample);
            _pending.Enqueue(w with { SampleOffset = start, SampleLength = (long)Math.Round(w.SampleLength * outputSamplesPerInputSample) });
        }
        _inputPosition += inputSamples;

        var room = maxOutputSamples - _outputPosition;
        if (output.Length > room) output = output[..(int)Math.Max(0, room)];
        if (output.Length == 0 && !(final && _pending.Count > 0)) return null;

        var end = _outputPosition + output.Length;
        List<WordBoundary>? words = null;
        while (_pending.TryPeek(out var w) && (w.SampleOffset < end || final))
        {
            _pending.Dequeue();
            if (w.SampleOffset >= end && output.Length == 0) continue;
            var offset = Math.Clamp(w.SampleOffset - _outputPosition, 0, Math.Max(0, output.Length - 1));
            (words ??= []).Add(w with { SampleOffset = offset });
        }
        _outputPosition = end;
        return output.Length == 0 ? null : new AudioChunk(output, outputRate, words ?? (IReadOnlyList<WordBoundary>)AudioChunk.NoWords);
    }
}
