using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// The front door of the speech core: validates a <see cref="SynthesisRequest"/>, runs the text front end and
/// returns a <see cref="SynthesisPlan"/> that streams the audio.
/// </summary>
public sealed class Synthesizer
{
    private readonly Dictionary<string, ISpeechEngine> _engines;
    private readonly TextFrontEnd _frontEnd;

    /// <summary>The voices this synthesizer can speak with.</summary>
    public VoiceCatalog Catalog { get; }

    /// <summary>The engines it speaks with.</summary>
    public IReadOnlyCollection<ISpeechEngine> Engines => _engines.Values;

    /// <summary>Server-wide synthesis settings.</summary>
    public SynthesisOptions Options { get; }

    /// <summary>Creates a synthesizer over the given engines.</summary>
    public Synthesizer(IEnumerable<ISpeechEngine> engines, TextFrontEnd frontEnd, SynthesisOptions? options = null)
    {
        _engines = engines.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _frontEnd = frontEnd;
        Options = options ?? new SynthesisOptions();
        Catalog = new VoiceCatalog(_engines.Values);
    }

    /// <summary>
    /// Validates the request and prepares the text. Throws <see cref="SynthesisRequestException"/> (or
    /// <see cref="VoiceNotFoundException"/>) for bad parameters and <see cref="TextInputException"/> for bad text,
    /// before any audio is produced, so callers can answer with a clean 4xx.
    /// </summary>
    public SynthesisPlan Prepare(SynthesisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Voice))
            throw new SynthesisRequestException("voice", "A voice is required.");
        if (!Catalog.TryResolve(request.Voice, out var voice))
            throw new VoiceNotFoundException(request.Voice);
        if (!double.IsFinite(request.Speed) || request.Speed < SynthesisOptions.MinSpeed || request.Speed > SynthesisOptions.MaxSpeed)
            throw new SynthesisRequestException("speed", $"Speed must be between {SynthesisOptions.MinSpeed} and {SynthesisOptions.MaxSpeed}.");
        if (request.SampleRate is { } rate && (rate < SynthesisOptions.MinSampleRate || rate > SynthesisOptions.MaxSampleRate))
            throw new SynthesisRequestException("sample_rate", $"Sample rate must be between {SynthesisOptions.MinSampleRate} and {SynthesisOptions.MaxSampleRate} Hz.");

        var sampleRate = ChooseSampleRate(request, voice);
        var engine = _engines[voice.Engine];
        var script = _frontEnd.Process(request.Text ?? "", request.Ssml, voice.Language, engine.Capabilities.MaxChunkChars);
        return new SynthesisPlan(engine, voice, script, request, sampleRate, Options);
    }

    /// <summary>An asked-for rate must suit the format; otherwise the format's default, else the voice's nearest supported rate.</summary>
    private static int ChooseSampleRate(SynthesisRequest request, CatalogVoice voice)
    {
        if (request.SampleRate is { } asked)
        {
            if (!AudioFormats.IsSupportedSampleRate(request.Format, asked))
                throw new SynthesisRequestException("sample_rate",
                    $"{AudioFormats.Name(request.Format)} does not support {asked} Hz; the nearest supported rate is {AudioFormats.NearestSupportedSampleRate(request.Format, asked)} Hz.");
            return asked;
        }
        return AudioFormats.DefaultSampleRate(request.Format)
            ?? AudioFormats.NearestSupportedSampleRate(request.Format, voice.EngineVoice.SampleRate);
    }
}
