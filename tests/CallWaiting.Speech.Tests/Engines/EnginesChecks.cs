using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Engines;

/// <summary>Checks every native synthesizer must pass, shared by the espeak-ng and flite tests.</summary>
internal static class EnginesChecks
{
    /// <summary>The recording streamed audible speech at <paramref name="sampleRate"/>; sox agrees on format, length and level.</summary>
    public static void AssertStreamedSpeech(EnginesRecording recording, int sampleRate)
    {
        Assert.Equal(sampleRate, recording.SampleRate);
        Assert.True(recording.Blocks > 1, "audio should stream in several blocks");
        Assert.True(Measure.Pcm16Rms(recording.ToArray()) > 300, "audio is silent");
        var sox = Sox.Analyze(recording.ToArray(), recording.SampleRate);
        Assert.Equal(sampleRate, sox.SampleRate);
        Assert.Equal(1, sox.Channels);
        Assert.Equal(recording.Seconds, sox.Seconds, recording.Seconds * 0.02);
        Assert.True(sox.RmsAmplitude > 0.01, $"sox measures RMS {sox.RmsAmplitude}");
    }

    /// <summary>Cancelling inside the first block's sink stops synthesis there with an <see cref="OperationCanceledException"/>.</summary>
    public static void AssertCancellationStopsAfterTheFirstBlock(INativeSynthesizer synthesizer, EngineRequest request)
    {
        using var cts = new CancellationTokenSource();
        var blocks = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => EnginesRecording.Record(synthesizer, request, keepGoing: n =>
        {
            blocks = n;
            cts.Cancel();
            return true;
        }, cts.Token));
        Assert.Equal(1, blocks);
    }

    /// <summary>An exception thrown by the sink reaches the caller unchanged, and <paramref name="next"/> still gives audio.</summary>
    public static void AssertSinkExceptionPropagatesAndTheEngineStaysUsable(INativeSynthesizer synthesizer, EngineRequest request,
        EngineRequest next)
    {
        var boom = new InvalidDataException("sink failed");

        var thrown = Assert.Throws<InvalidDataException>(() => synthesizer.Synthesize(request, (_, _, _) => throw boom, default));

        Assert.Same(boom, thrown);
        Assert.True(EnginesRecording.Record(synthesizer, next).Samples.Count > 0);
    }
}
