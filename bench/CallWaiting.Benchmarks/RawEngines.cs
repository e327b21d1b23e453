using System.Diagnostics;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Espeak;
using CallWaiting.Speech.Engines.Flite;
using CallWaiting.Speech.Text;

namespace CallWaiting.Benchmarks;

/// <summary>One raw engine run: the library called in-process, no workers, no pipeline.</summary>
internal sealed record RawRun(string Voice, double SynthSeconds, double AudioSeconds, double FirstBlockMs, double FirstSentenceMs, float[] Audio, int SampleRate)
{
    public double RealTimeFactor => SynthSeconds / AudioSeconds;
}

/// <summary>Calls flite and espeak-ng directly, the baseline every other figure is compared with.</summary>
internal sealed class RawEngines : IDisposable
{
    private readonly FliteSynthesizer _flite = new();
    private readonly EspeakSynthesizer _espeak = new();
    private readonly TextFrontEnd _frontEnd = new(new TextFrontEndOptions());

    public INativeSynthesizer For(string engine) => engine == FliteSynthesizer.EngineName ? _flite : _espeak;

    /// <summary>Speaks <paramref name="text"/> chunk by chunk, as the synthesizer would, timing the whole and the first parts.</summary>
    public RawRun Run(EngineVoice voice, string text)
    {
        var engine = For(voice.Engine);
        var chunks = _frontEnd.Process(text, ssml: false, voice.Language, engine.Capabilities.MaxChunkChars)
            .Segments.OfType<SpokenText>().ToList();
        var audio = new List<float>();
        var rate = voice.SampleRate;
        double firstBlock = -1, firstSentence = -1;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in chunks)
        {
            engine.Synthesize(new EngineRequest(voice.NativeName, chunk.Text, chunk.Prosody), (samples, sampleRate, _) =>
            {
                if (firstBlock < 0) firstBlock = clock.Elapsed.TotalMilliseconds;
                rate = sampleRate;
                foreach (var s in samples) audio.Add(s / 32768f);
                return true;
            }, CancellationToken.None);
            if (firstSentence < 0) firstSentence = clock.Elapsed.TotalMilliseconds;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new RawRun(voice.Id, seconds, audio.Count / (double)rate, firstBlock, firstSentence, [.. audio], rate);
    }

    /// <summary>The voices the benchmarks cover: every flite voice and a spread of espeak-ng languages.</summary>
    public IReadOnlyList<EngineVoice> BenchVoices()
    {
        string[] espeak = ["espeak-en-us", "espeak-en-gb-f3", "espeak-de", "espeak-fr-fr", "espeak-es"];
        return [.. _flite.ListVoices(), .. _espeak.ListVoices().Where(v => espeak.Contains(v.Id))];
    }

    public void Dispose()
    {
        _flite.Dispose();
        _espeak.Dispose();
    }
}
