using System.Buffers;
using System.Runtime.CompilerServices;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Audio;
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
            });
        }
        catch (VoiceNotFoundException)
        {
            throw VoiceNotFound(Request.VoiceId);
        }
        catch (SynthesisRequestException e)
        {
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_" + e.Field, e.Message) { Field = e.Field };
        }
        catch (TextInputException e)
        {
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_text", e.Message) { Field = "text" };
        }
    }

    /// <summary>The extra tempo stage of <see cref="TtsRequest.Tempo"/> for the plan's rate, or null when there is none; the caller owns it.</summary>
    private TempoChanger? CreateTempo(SynthesisPlan plan) =>
        Request.Tempo == 1.0 ? null : new TempoChanger(plan.OutputSampleRate, Request.Tempo);

    /// <summary>Creates the encoder for the plan's rate with this job's settings; a bitrate the codec refuses is invalid input.</summary>
    public AudioEncoder CreateEncoder(SynthesisPlan plan)
    {
        try
        {
            return AudioEncoder.Create(plan.Format, plan.OutputSampleRate, EncoderOptions);
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
    /// Starts synthesis and waits for the first chunk, so that a full queue or an engine refusal is still a JSON
    /// error; the returned enumerator is positioned on that chunk and the caller owns it.
    /// </summary>
    private async Task<IAsyncEnumerator<AudioChunk>> StartAsync(SynthesisPlan plan, CancellationToken cancellationToken)
    {
        var chunks = plan.StreamAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var handedOver = false;
        try
        {
            if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_text", "The text holds nothing to speak.") { Field = "text" };
            handedOver = true;
            return chunks;
        }
        catch (EngineException e)
        {
            throw EngineFailure(e);
        }
        finally
        {
            if (!handedOver) await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Synthesizes <paramref name="plan"/> through the tempo stage and <paramref name="encoder"/> (which it disposes),
    /// one piece per synthesized chunk plus a last piece with the encoder's tail and the words still open. A refusal
    /// before the first piece is a <see cref="TtsRequestException"/>; later engine or encoder failures are thrown as they are.
    /// </summary>
    public async IAsyncEnumerable<AudioPiece> EncodeAsync(SynthesisPlan plan, AudioEncoder encoder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(encoder);
        using (encoder)
        {
            using var tempo = CreateTempo(plan);
            var chunks = await StartAsync(plan, cancellationToken).ConfigureAwait(false);
            var timeline = new WordTimeline(plan.OutputSampleRate * Request.Tempo);
            var output = new ArrayBufferWriter<byte>(16 * 1024);
            var words = new List<WordTiming>();
            await using (chunks.ConfigureAwait(false))
            {
                do
                {
                    var chunk = chunks.Current;
                    var audio = tempo is null ? chunk.Samples : tempo.Process(chunk.Samples);
                    encoder.Write(audio, output);
                    timeline.Add(chunk, words);
                    yield return Piece(output, audio.Length, words);
                }
                while (await chunks.MoveNextAsync().ConfigureAwait(false));
            }

            var tail = tempo?.Flush() ?? [];
            encoder.Write(tail, output);
            encoder.Complete(output);
            timeline.Finish(words);
            yield return Piece(output, tail.Length, words);
        }
    }

    // Pieces outlive the call (they are shared and retained), so each gets its own copies.
    private static AudioPiece Piece(ArrayBufferWriter<byte> output, int samples, List<WordTiming> words)
    {
        var piece = new AudioPiece(output.WrittenSpan.ToArray(), samples, words.Count == 0 ? [] : words.ToArray());
        output.ResetWrittenCount();
        words.Clear();
        return piece;
    }

    /// <summary>The JSON error for an engine failure before any audio was sent.</summary>
    public static TtsRequestException EngineFailure(EngineException e) => e.Kind switch
    {
        EngineErrorKind.Overloaded => new TtsRequestException(TtsErrorKind.Overloaded, "overloaded", "All speech engines are busy; retry shortly."),
        EngineErrorKind.InvalidRequest => new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_request", e.Message) { Field = "text" },
        _ => new TtsRequestException(TtsErrorKind.Failed, "synthesis_failed", "Speech synthesis failed; please retry."),
    };

    internal static TtsRequestException VoiceNotFound(string voiceId) =>
        new(TtsErrorKind.NotFound, "voice_not_found", $"Voice '{voiceId}' was not found.");

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" (Parameter")[0];
}
