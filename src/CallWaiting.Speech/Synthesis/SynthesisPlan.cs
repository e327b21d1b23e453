using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// A validated request, ready to stream: engine chunks flow through one <see cref="AudioPipeline"/>
/// (tempo, resampling, loudness, limiting) so the output is continuous across sentences.
/// </summary>
public sealed class SynthesisPlan
{
    private readonly ISpeechEngine _engine;
    private readonly SynthesisRequest _request;
    private readonly SynthesisOptions _options;

    internal SynthesisPlan(ISpeechEngine engine, CatalogVoice voice, SpeechScript script, SynthesisRequest request, int outputSampleRate, SynthesisOptions options)
    {
        _engine = engine;
        Voice = voice;
        Script = script;
        _request = request;
        _options = options;
        OutputSampleRate = outputSampleRate;
    }

    /// <summary>The voice that will speak.</summary>
    public CatalogVoice Voice { get; }

    /// <summary>The prepared text.</summary>
    public SpeechScript Script { get; }

    /// <summary>The output format the caller asked for.</summary>
    public AudioFormat Format => _request.Format;

    /// <summary>Creates the encoder for this plan's format and rate, with <paramref name="options"/> or the default settings.</summary>
    public AudioEncoder CreateEncoder(AudioEncoderOptions? options = null) => AudioEncoder.Create(Format, OutputSampleRate, options);

    /// <summary>Sample rate of every chunk the plan yields.</summary>
    public int OutputSampleRate { get; }

    /// <summary>Synthesizes the script, yielding audio at <see cref="OutputSampleRate"/> as soon as each piece is ready.</summary>
    public async IAsyncEnumerable<AudioChunk> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var nativeRate = _engine.Capabilities.NativeRate;
        var inputRate = Voice.EngineVoice.SampleRate;
        using var pipeline = new AudioPipeline(new AudioPipelineOptions(inputRate, OutputSampleRate)
        {
            Speed = nativeRate ? 1.0 : _request.Speed,
            NormalizeLoudness = _request.NormalizeLoudness,
            LimitPeaks = _options.LimitPeaks,
        });
        var timeline = new OutputTimeline(OutputSampleRate, pipeline.TimeScale * OutputSampleRate / inputRate,
            (long)(_options.MaxOutputDuration.TotalSeconds * OutputSampleRate));
        var segments = Script.Segments;
        var started = false; // after the first engine call, later ones continue an admitted stream

        for (var i = 0; i < segments.Count && !timeline.Full; i++)
        {
            switch (segments[i])
            {
                case Pause pause:
                    // Breaks are absolute: feed enough input silence that tempo leaves the asked-for length.
                    var silence = new float[(int)(pause.Duration.TotalSeconds * inputRate / pipeline.TimeScale)];
                    if (timeline.Emit(pipeline.Process(silence), silence.Length, AudioChunk.NoWords) is { } s) yield return s;
                    break;

                case SpokenText spoken:
                    var request = new EngineRequest(
                        Voice.EngineVoice.NativeName,
                        spoken.Text,
                        spoken.Prosody with { Rate = spoken.Prosody.Rate * (nativeRate ? _request.Speed : 1.0) },
                        EnginePhonemes(spoken, _engine.Capabilities),
                        _request.Seed,
                        Continuation: started);
                    started = true;
                    await foreach (var chunk in _engine.SynthesizeAsync(request, cancellationToken).ConfigureAwait(false))
                    {
                        if (chunk.SampleRate != inputRate)
                            throw new EngineException(EngineErrorKind.EngineFailure,
                                $"Engine '{_engine.Name}' produced {chunk.SampleRate} Hz audio for a {inputRate} Hz voice.");
                        if (timeline.Emit(pipeline.Process(chunk.Samples), chunk.Samples.Length, chunk.Words) is { } c) yield return c;
                        if (timeline.Full) break;
                    }
                    if (spoken.EndsSentence && i < segments.Count - 1 && _options.SentenceSilence > TimeSpan.Zero)
                    {
                        var gap = new float[(int)(_options.SentenceSilence.TotalSeconds * inputRate / pipeline.TimeScale)];
                        if (timeline.Emit(pipeline.Process(gap), gap.Length, AudioChunk.NoWords) is { } g) yield return g;
                    }
                    break;
            }
        }

        if (timeline.Emit(pipeline.Flush(), 0, AudioChunk.NoWords, final: true) is { } tail) yield return tail;
    }

    /// <summary>
    /// The one encode loop of every transport: synthesizes the plan through the tempo stage of
    /// <see cref="SynthesisRequest.Tempo"/> and <paramref name="encoder"/> (the caller owns it; it is complete at the end),
    /// one piece per synthesized chunk plus a last piece with the encoder's tail and the words still open. Text that
    /// yields no audio at all is a <see cref="SynthesisRequestException"/> for "text", thrown before any piece.
    /// </summary>
    public async IAsyncEnumerable<AudioPiece> EncodeAsync(AudioEncoder encoder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var tempo = _request.Tempo;
        using var stage = tempo == 1.0 ? null : new TempoChanger(OutputSampleRate, tempo);
        var timeline = new WordTimeline(OutputSampleRate * tempo);
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        var words = new List<WordTiming>();
        var spoke = false;
        using var synthesis = SpeechActivities.StartSynthesis(_engine.Name, Voice.Slug, _request.Text);
        Activity? encoding = null;
        long bytes = 0, samples = 0;
        try
        {
            await foreach (var chunk in StreamAsync(cancellationToken).ConfigureAwait(false))
            {
                spoke = true;
                encoding ??= SpeechActivities.StartEncode(synthesis, Format, OutputSampleRate);
                var audio = stage is null ? chunk.Samples : stage.Process(chunk.Samples);
                encoder.Write(audio, output);
                timeline.Add(chunk, words);
                bytes += output.WrittenCount;
                samples += audio.Length;
                yield return Piece(output, audio.Length, words);
            }
            if (!spoke) throw new SynthesisRequestException("text", "The text holds nothing to speak.");

            var tail = stage?.Flush() ?? [];
            encoder.Write(tail, output);
            encoder.Complete(output);
            timeline.Finish(words);
            bytes += output.WrittenCount;
            samples += tail.Length;
            yield return Piece(output, tail.Length, words);
        }
        finally
        {
            encoding?.SetTag(SpeechActivities.Bytes, bytes);
            encoding?.Dispose();
            synthesis?.SetTag(SpeechActivities.AudioSeconds, (double)samples / OutputSampleRate);
        }
    }

    // Pieces outlive the loop (they are shared and retained), so each gets its own copies.
    private static AudioPiece Piece(ArrayBufferWriter<byte> output, int samples, List<WordTiming> words)
    {
        var piece = new AudioPiece(output.WrittenSpan.ToArray(), samples, words.Count == 0 ? [] : words.ToArray());
        output.ResetWrittenCount();
        words.Clear();
        return piece;
    }

    /// <summary>
    /// SSML phonemes go to the engine only in an alphabet it reads (espeak-ng's own, "x-espeak"); any other alphabet
    /// would be misread as espeak mnemonics, so the element's text is spoken instead.
    /// </summary>
    internal static string? EnginePhonemes(SpokenText spoken, EngineCapabilities capabilities) =>
        capabilities.Phonemes && spoken.Phonemes is not null
            && string.Equals(spoken.PhonemeAlphabet, "x-espeak", StringComparison.OrdinalIgnoreCase)
            ? spoken.Phonemes
            : null;
}
