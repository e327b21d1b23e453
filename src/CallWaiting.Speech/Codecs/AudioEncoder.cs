using System.Buffers;

namespace CallWaiting.Speech.Codecs;

/// <summary>
/// A streaming encoder from mono float samples to one <see cref="AudioFormat"/>: every <see cref="Write"/> emits
/// the bytes that are ready so they can be sent at once, <see cref="Flush"/> pushes out what the codec still holds
/// while keeping the stream open, and <see cref="Complete"/> ends the stream.
/// </summary>
/// <remarks>
/// Not thread-safe: one stream, one caller at a time. Input samples are in [-1, 1]; louder ones are clipped and NaN
/// reads as silence.
/// An encoder whose write or completion threw (for example because the output did) refuses further use.
/// </remarks>
public abstract class AudioEncoder : IDisposable
{
    private EncoderState _state;

    private protected AudioEncoder(AudioFormat format, int sampleRate)
    {
        if (!AudioFormats.IsSupportedSampleRate(format, sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                $"{AudioFormats.Name(format)} cannot be encoded at {sampleRate} Hz; resample to {AudioFormats.NearestSupportedSampleRate(format, Math.Max(sampleRate, 1))} Hz first.");
        }
        Format = format;
        SampleRate = sampleRate;
    }

    private enum EncoderState { Open, Completed, Faulted, Disposed }

    /// <summary>The format this encoder writes.</summary>
    public AudioFormat Format { get; }

    /// <summary>Sample rate of the input and, for every format but Opus's decoders, of the output.</summary>
    public int SampleRate { get; }

    /// <summary>The HTTP content type of the output (see <see cref="AudioFormats.ContentType"/>).</summary>
    public string ContentType => AudioFormats.ContentType(Format, SampleRate);

    /// <summary>Number of input samples accepted so far.</summary>
    public long SamplesWritten { get; private set; }

    /// <summary>Whether <see cref="Flush"/> is supported: by every format but FLAC.</summary>
    public bool CanFlush => FlushSupported;

    /// <summary>
    /// Silent samples (at <see cref="SampleRate"/>) that <see cref="Flush"/> has added to the stream so far: a decoder
    /// plays them between the audio written before and after each flush. Always 0 for the PCM formats and G.711.
    /// </summary>
    public long PaddingSamples { get; private set; }

    /// <summary>Creates the streaming encoder for <paramref name="format"/> at <paramref name="sampleRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The format does not support the sample rate, or an option is out of range.</exception>
    /// <exception cref="AudioEncoderException">The codec's native library is missing or refused the settings.</exception>
    public static AudioEncoder Create(AudioFormat format, int sampleRate, AudioEncoderOptions? options = null)
    {
        options ??= AudioEncoderOptions.Default;
        return format switch
        {
            AudioFormat.Wav => new WavEncoder(sampleRate),
            AudioFormat.Pcm16 => new Pcm16Encoder(sampleRate),
            AudioFormat.Mulaw or AudioFormat.Alaw => new G711Encoder(format, sampleRate),
            AudioFormat.Mp3 => new Mp3Encoder(sampleRate, options),
            AudioFormat.Opus => new OpusOggEncoder(sampleRate, options),
            AudioFormat.Flac => new FlacEncoder(sampleRate, options),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format."),
        };
    }

    /// <summary>Encodes a whole clip in one go and returns the complete file.</summary>
    public static byte[] Encode(AudioFormat format, int sampleRate, ReadOnlySpan<float> samples, AudioEncoderOptions? options = null)
    {
        using var encoder = Create(format, sampleRate, options);
        // PCM sizes are exact; compressed ones start at a fraction and grow (amortized doubling) if needed.
        var capacity = format switch
        {
            AudioFormat.Wav => WavHeader.Size + 2 * samples.Length,
            AudioFormat.Pcm16 => 2 * samples.Length,
            AudioFormat.Mulaw or AudioFormat.Alaw => samples.Length,
            _ => 4096 + samples.Length / 4,
        };
        var output = new ArrayBufferWriter<byte>(Math.Max(capacity, 1));
        encoder.Write(samples, output);
        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Encodes <paramref name="samples"/> and appends whatever encoded bytes are ready to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">The encoder was completed or failed earlier.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public void Write(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfNotOpen();
        try
        {
            WriteCore(samples, output);
        }
        catch
        {
            _state = EncoderState.Faulted;
            throw;
        }
        SamplesWritten += samples.Length;
    }

    /// <summary>
    /// Appends everything written so far to <paramref name="output"/> as decodable audio and keeps the stream open: the
    /// concatenation of all output, across any number of flushes, stays one valid stream. The PCM formats and G.711
    /// hold nothing back, so for them it is a no-op; MP3 and Opus complete their current frame with silence (MP3 also
    /// covers its decoder delay), which adds <see cref="PaddingSamples"/>. A flush right after another adds nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The encoder was completed or failed earlier.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    /// <exception cref="NotSupportedException">The format cannot end a block early (FLAC; see <see cref="CanFlush"/>).</exception>
    public void Flush(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfNotOpen();
        if (!FlushSupported)
            throw new NotSupportedException($"{AudioFormats.Name(Format)} cannot be flushed mid-stream; call Complete to end the stream instead.");
        int padding;
        try
        {
            padding = FlushCore(output);
        }
        catch
        {
            _state = EncoderState.Faulted;
            throw;
        }
        PaddingSamples += padding;
    }

    /// <summary>Ends the stream: appends the buffered tail and any trailer to <paramref name="output"/>. Later writes throw.</summary>
    /// <exception cref="InvalidOperationException">The encoder was completed or failed earlier.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfNotOpen();
        try
        {
            CompleteCore(output);
        }
        catch
        {
            _state = EncoderState.Faulted;
            throw;
        }
        _state = EncoderState.Completed;
    }

    /// <summary>
    /// After <see cref="Complete"/>: the start of the stream rewritten with what only its end could tell (FLAC's total
    /// samples, frame sizes and MD5), to write over the first bytes of the output when it is a seekable file. Empty when
    /// the streamed start needs no rewrite (or only a length fix-up, as a WAV's, see <see cref="WavHeader.Patch"/>).
    /// </summary>
    public ReadOnlyMemory<byte> CompletedHeader => _state == EncoderState.Completed ? CompletedHeaderCore : ReadOnlyMemory<byte>.Empty;

    /// <summary>Releases the native encoder, if any; an unfinished stream is abandoned.</summary>
    public void Dispose()
    {
        if (_state == EncoderState.Disposed) return;
        _state = EncoderState.Disposed;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Encodes one block; the base class has already checked the state.</summary>
    private protected abstract void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output);

    /// <summary>Whether <see cref="FlushCore"/> is implemented.</summary>
    private protected virtual bool FlushSupported => true;

    /// <summary>Emits what the codec holds, keeping the stream open; returns the silent samples it added. The base class has already checked the state.</summary>
    private protected virtual int FlushCore(IBufferWriter<byte> output) => 0;

    /// <summary>Flushes the tail; the base class has already checked the state.</summary>
    private protected abstract void CompleteCore(IBufferWriter<byte> output);

    /// <summary>See <see cref="CompletedHeader"/>; read only once the stream is complete.</summary>
    private protected virtual ReadOnlyMemory<byte> CompletedHeaderCore => ReadOnlyMemory<byte>.Empty;

    /// <summary>Releases owned resources; called once, from <see cref="Dispose()"/>.</summary>
    private protected virtual void Dispose(bool disposing)
    {
    }

    private void ThrowIfNotOpen()
    {
        switch (_state)
        {
            case EncoderState.Completed: throw new InvalidOperationException("The encoder has been completed; create a new one for another stream.");
            case EncoderState.Faulted: throw new InvalidOperationException("The encoder failed earlier and cannot continue.");
            case EncoderState.Disposed: throw new ObjectDisposedException(GetType().Name);
        }
    }
}
