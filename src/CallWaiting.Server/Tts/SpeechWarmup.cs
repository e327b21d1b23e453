using System.IO.Pipelines;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Start-up warm-up, so that the first request after /ready costs what later ones do. Measured on a fresh server, the
/// first request's 0.4 s went mostly to the text front end's first use (its non-backtracking regexes build their
/// automata lazily: about 250 ms), then to each worker's first synthesis with an engine and each codec's first use.
/// </summary>
internal static class SpeechWarmup
{
    // Numbers, a time, a date, money, a unit and an ordinal walk the English rules that ordinary text reaches.
    private const string Text = "Warming up at 9:30 am on May 4, 2026: $12.50 for 3 km, the 42nd call.";

    // Longer than the sample text, so it makes one chunk whatever the engine.
    private const int MaxChunkChars = 400;

    /// <summary>
    /// Runs the text front end once on a thread-pool thread. Its rules are static and shared with the runtime's front
    /// end, and it needs no engine, so it can run while the workers start.
    /// </summary>
    public static Task WarmTextFrontEndAsync() =>
        Task.Run(() => new TextFrontEnd(new TextFrontEndOptions()).Process(Text, ssml: false, "en-US", MaxChunkChars));

    /// <summary>
    /// After <paramref name="textFrontEnd"/>, synthesizes a sample text on every one of <paramref name="workers"/> workers
    /// with each engine, and encodes a moment of audio in every format.
    /// </summary>
    public static async Task RunAsync(SpeechRuntime runtime, int workers, Task textFrontEnd, CancellationToken cancellationToken)
    {
        await textFrontEnd.ConfigureAwait(false);
        // One voice per engine (seed voices come first in the catalog). As many requests at once as there are workers:
        // each holds its worker until done, so every worker serves one, and none waits in the (bounded) queue.
        foreach (var voice in runtime.Synthesizer.Catalog.Voices.DistinctBy(v => v.Engine))
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => SynthesizeAsync(runtime, voice.Slug, cancellationToken)));
        }

        var moment = new float[2400];
        foreach (var format in AudioFormats.All)
        {
            AudioEncoder.Encode(format, AudioFormats.NearestSupportedSampleRate(format, 24_000), moment);
        }
    }

    private static async Task SynthesizeAsync(SpeechRuntime runtime, string voice, CancellationToken cancellationToken)
    {
        var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = Text, Voice = voice, Format = AudioFormat.Pcm16 });
        await AudioStreaming.WriteAsync(plan, PipeWriter.Create(Stream.Null), cancellationToken).ConfigureAwait(false);
    }
}
