using System.Runtime.CompilerServices;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Server.Tts;

/// <summary>
/// One resolved synthesis request: the voice, format, encoder settings and cache key. It prepares the plan, creates
/// the encoder and pulls the first chunk, turning every refusal that can still become a JSON error into a
/// <see cref="TtsRequestException"/>.
/// </summary>
public sealed class TtsJob
{
    internal TtsJob(SpeechRuntime runtime, TtsRequest request, ResolvedVoice voice, AudioFormat format, AudioEncoderOptions encoderOptions, AudioCacheKey? cacheKey)
    {
        Runtime = runtime;
        Request = request;
        Voice = voice;
        Format = format;
        EncoderOptions = encoderOptions;
        CacheKey = cacheKey;
    }

    /// <summary>The speech runtime that will synthesize.</summary>
    public SpeechRuntime Runtime { get; }

    /// <summary>The validated request.</summary>
    public TtsRequest Request { get; }

    /// <summary>The voice, resolved for the caller's tenant.</summary>
    public ResolvedVoice Voice { get; }

    /// <summary>The output format.</summary>
    public AudioFormat Format { get; }

    /// <summary>Encoder settings (bitrates from output_format).</summary>
    public AudioEncoderOptions EncoderOptions { get; }

    /// <summary>The content address of the rendering, or null when it is not cacheable.</summary>
    public AudioCacheKey? CacheKey { get; }

    /// <summary>The Content-Disposition value for a response to request <paramref name="requestId"/>.</summary>
    public string ContentDisposition(string requestId) => $"inline; filename=\"speech-{requestId}.{AudioFormats.FileExtension(Format)}\"";

    /// <summary>Runs the text front end and validates the parameters against the voice.</summary>
    public SynthesisPlan Prepare()
    {
        try
        {
            return Runtime.Synthesizer.Prepare(new SynthesisRequest
            {
                Text = Request.Text,
                Voice = Voice.Speaker.Slug,
                Format = Format,
                Speed = Request.Speed,
                Seed = Request.Seed,
                SampleRate = Request.SampleRate,
                Ssml = Request.Ssml,
                Tempo = Request.Tempo,
            });
        }
        catch (VoiceNotFoundException)
        {
            throw VoiceNotFound(Request.VoiceId);
        }
        catch (SynthesisRequestException e)
        {
            throw Invalid(e);
        }
        catch (TextInputException e)
        {
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_text", e.Message) { Field = "text" };
        }
    }

    /// <summary>Creates the encoder for the plan's rate with this job's settings; a bitrate the codec refuses is invalid input.</summary>
    public AudioEncoder CreateEncoder(SynthesisPlan plan)
    {
        try
        {
            return plan.CreateEncoder(EncoderOptions);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_output_format",
                $"{AudioFormats.Name(plan.Format)} cannot be encoded with these settings at {plan.OutputSampleRate} Hz: {FirstLine(e.Message)}");
        }
        catch (AudioEncoderException)
        {
            throw new TtsRequestException(TtsErrorKind.Failed, "encoder_unavailable", $"The {AudioFormats.Name(plan.Format)} encoder is unavailable.");
        }
    }

    /// <summary>
    /// <see cref="SynthesisPlan.EncodeAsync"/> through <paramref name="encoder"/> (which it disposes). The first piece
    /// is awaited before any is yielded, so that a full queue, an engine refusal or text with nothing to speak is still
    /// a <see cref="TtsRequestException"/>; later engine or encoder failures are thrown as they are.
    /// </summary>
    public async IAsyncEnumerable<AudioPiece> EncodeAsync(SynthesisPlan plan, AudioEncoder encoder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(encoder);
        using (encoder)
        {
            var pieces = plan.EncodeAsync(encoder, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (pieces.ConfigureAwait(false))
            {
                if (!await StartAsync(pieces).ConfigureAwait(false)) yield break;
                do yield return pieces.Current;
                while (await pieces.MoveNextAsync().ConfigureAwait(false));
            }
        }
    }

    private static async ValueTask<bool> StartAsync(IAsyncEnumerator<AudioPiece> pieces)
    {
        try
        {
            return await pieces.MoveNextAsync().ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            throw EngineFailure(e);
        }
        catch (SynthesisRequestException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>The JSON error for an engine failure before any audio was sent.</summary>
    public static TtsRequestException EngineFailure(EngineException e) => e.Kind switch
    {
        EngineErrorKind.Overloaded => new TtsRequestException(TtsErrorKind.Overloaded, "overloaded", "All speech engines are busy; retry shortly."),
        EngineErrorKind.InvalidRequest => new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_request", e.Message) { Field = "text" },
        EngineErrorKind.Unavailable => new TtsRequestException(TtsErrorKind.Unavailable, EngineUnavailableCode, e.Message),
        _ => new TtsRequestException(TtsErrorKind.Failed, "synthesis_failed", "Speech synthesis failed; please retry."),
    };

    private static TtsRequestException Invalid(SynthesisRequestException e) =>
        new(TtsErrorKind.InvalidInput, "invalid_" + e.Field, e.Message) { Field = e.Field };

    /// <summary>The error code of a voice whose engine is not loaded or fails (503).</summary>
    internal const string EngineUnavailableCode = "engine_unavailable";

    internal static TtsRequestException VoiceNotFound(string voiceId) =>
        new(TtsErrorKind.NotFound, "voice_not_found", $"Voice '{voiceId}' was not found.");

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" (Parameter")[0];
}
