using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Tests.Engines;

/// <summary>Everything a native synthesizer delivered for one request, with word offsets made absolute.</summary>
internal sealed class EnginesRecording
{
    public List<short> Samples { get; } = [];
    public HashSet<int> SampleRates { get; } = [];
    public List<WordBoundary> Words { get; } = [];
    public int Blocks { get; private set; }

    public int SampleRate => SampleRates.Single();
    public short[] ToArray() => [.. Samples];
    public double Seconds => (double)Samples.Count / SampleRate;

    /// <summary>Runs <paramref name="request"/>; <paramref name="keepGoing"/> sees the block count so far and may stop.</summary>
    public static EnginesRecording Record(INativeSynthesizer synthesizer, EngineRequest request,
        Func<int, bool>? keepGoing = null, CancellationToken cancellationToken = default)
    {
        var recording = new EnginesRecording();
        synthesizer.Synthesize(request, (samples, rate, words) =>
        {
            foreach (var word in words)
            {
                Assert.InRange(word.SampleOffset, 0, samples.Length);
                recording.Words.Add(word with { SampleOffset = recording.Samples.Count + word.SampleOffset });
            }
            recording.Samples.AddRange(samples);
            recording.SampleRates.Add(rate);
            recording.Blocks++;
            return keepGoing?.Invoke(recording.Blocks) ?? true;
        }, cancellationToken);
        return recording;
    }
}
