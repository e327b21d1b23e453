using System.Diagnostics;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// The speech core's trace spans (<see cref="ActivitySource"/> "CallWaiting.Speech"): one <c>tts.synthesize</c> per
/// rendering and its <c>tts.encode</c> child. Without a listener (no tracing configured) no span is created at all.
/// The text itself is never recorded, only its length.
/// </summary>
public static class SpeechActivities
{
    /// <summary>The source name a tracer subscribes to.</summary>
    public const string SourceName = "CallWaiting.Speech";

    /// <summary>Attribute: the engine that speaks (flite, espeak).</summary>
    public const string Engine = "callwaiting.engine";

    /// <summary>Attribute: the catalog voice slug.</summary>
    public const string Voice = "callwaiting.voice";

    /// <summary>Attribute: the text's length in Unicode code points (as metered).</summary>
    public const string Characters = "callwaiting.characters";

    /// <summary>Attribute: seconds of audio produced.</summary>
    public const string AudioSeconds = "callwaiting.audio_seconds";

    /// <summary>Attribute: the output format's name (mp3, wav, …).</summary>
    public const string Format = "callwaiting.format";

    /// <summary>Attribute: the output sample rate in Hz.</summary>
    public const string SampleRate = "callwaiting.sample_rate";

    /// <summary>Attribute: encoded bytes produced.</summary>
    public const string Bytes = "callwaiting.bytes";

    private static readonly ActivitySource Source = new(SourceName, typeof(SpeechActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of one rendering of <paramref name="text"/>, or returns null when nobody listens.</summary>
    internal static Activity? StartSynthesis(string engine, string voice, string text)
    {
        var activity = Source.StartActivity("tts.synthesize");
        if (activity is not { IsAllDataRequested: true }) return activity;
        activity.SetTag(Engine, engine);
        activity.SetTag(Voice, voice);
        activity.SetTag(Characters, CountCodePoints(text));
        return activity;
    }

    /// <summary>Starts the encode span under <paramref name="synthesis"/>, or returns null when nobody listens.</summary>
    internal static Activity? StartEncode(Activity? synthesis, AudioFormat format, int sampleRate)
    {
        // Explicit parent: inside an async iterator the ambient Activity.Current is the consumer's, not the synthesis span.
        var activity = synthesis is null ? null : Source.StartActivity("tts.encode", ActivityKind.Internal, synthesis.Context);
        if (activity is not { IsAllDataRequested: true }) return activity;
        activity.SetTag(Format, AudioFormats.Name(format));
        activity.SetTag(SampleRate, sampleRate);
        return activity;
    }

    private static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}
