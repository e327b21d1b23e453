using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.WebUtilities;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Audio answered as one complete file (/v1/tts's WAV and stream:false, OpenAI's wav, /v1/tts/with-timestamps, Twilio's
/// audio URLs, prewarm). Renderings and the cache hold the streamed form, whose WAV header says "length unknown", so the
/// file gets an exact header; a rendering is spooled (to a temporary file past a small threshold) rather than collected
/// in memory, since one may hold 15 minutes of audio, and a cache hit is sent from the entry without a copy.
/// </summary>
internal sealed class WholeFile : IAsyncDisposable
{
    // Short prompts stay in memory; longer audio goes to disk, so memory per answer stays bounded.
    private const int MemoryThreshold = 256 * 1024;
    private const int ChunkBytes = 48 * 1024; // base64 is written and flushed a chunk at a time, never whole

    private readonly byte[] _header;
    private readonly ReadOnlyMemory<byte> _held;
    private readonly FileBufferingWriteStream? _spool;

    private WholeFile(AudioFormat format, int sampleRate, double seconds, IReadOnlyList<WordTiming> words, byte[] header,
        ReadOnlyMemory<byte> held, FileBufferingWriteStream? spool)
    {
        Format = format;
        SampleRate = sampleRate;
        Seconds = seconds;
        Words = words;
        _header = header;
        _held = held;
        _spool = spool;
        Length = header.Length + (spool?.Length ?? held.Length);
    }

    /// <summary>The file's format.</summary>
    public AudioFormat Format { get; }

    /// <summary>Its sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Seconds of audio.</summary>
    public double Seconds { get; }

    /// <summary>The audio's duration in whole milliseconds.</summary>
    public long DurationMs => (long)Math.Round(Seconds * 1000);

    /// <summary>Every word with its timing, none ending after the audio.</summary>
    public IReadOnlyList<WordTiming> Words { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>A complete rendering held in memory (a cache hit) as a file, sharing its bytes.</summary>
    public static WholeFile Of(RenderedAudio audio, AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var streamedHeader = StreamedHeaderSize(format);
        var body = audio.Audio[Math.Min(streamedHeader, audio.Audio.Length)..];
        return new WholeFile(format, audio.SampleRate, audio.Seconds, audio.Words, ExactHeader(format, audio.SampleRate, body.Length), body, spool: null);
    }

    /// <summary>Reads every remaining piece of <paramref name="reader"/> into a spool; a synthesis failure is thrown before anything is sent.</summary>
    public static async Task<WholeFile> SpoolAsync(AudioSource reader, AudioFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var spool = new FileBufferingWriteStream(MemoryThreshold);
        try
        {
            var skip = StreamedHeaderSize(format);
            long samples = 0;
            var words = new List<WordTiming>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } piece)
            {
                var audio = piece.Audio;
                var skipped = Math.Min(skip, audio.Length);
                skip -= skipped;
                await spool.WriteAsync(audio[skipped..], cancellationToken).ConfigureAwait(false);
                samples += piece.Samples;
                words.AddRange(piece.Words);
            }

            var seconds = (double)samples / reader.SampleRate;
            return new WholeFile(format, reader.SampleRate, seconds, WordTimings.EndBy(words, seconds),
                ExactHeader(format, reader.SampleRate, spool.Length), held: default, spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes the file to <paramref name="output"/>, flushing as it goes. Once only: a spool is drained.</summary>
    public async Task WriteToAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(_header);
        if (_spool is not null) await _spool.DrainBufferAsync(output, cancellationToken).ConfigureAwait(false);
        else await output.WriteAsync(_held, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the file as the current JSON string value of <paramref name="json"/> (which writes to <paramref name="output"/>)
    /// in base64, chunk by chunk, flushing each. Once only: a spool is drained.
    /// </summary>
    public async Task WriteBase64Async(Utf8JsonWriter json, PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(output);
        json.WriteBase64StringSegment(_header, isFinalSegment: false);
        async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
        {
            json.WriteBase64StringSegment(chunk.Span, isFinalSegment: false);
            json.Flush();
            await output.FlushAsync(ct).ConfigureAwait(false);
        }

        if (_spool is not null)
        {
            await using var sink = new ChunkSinkStream(WriteAsync);
            await _spool.DrainBufferAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            for (var at = 0; at < _held.Length; at += ChunkBytes)
                await WriteAsync(_held.Slice(at, Math.Min(ChunkBytes, _held.Length - at)), cancellationToken).ConfigureAwait(false);
        }
        json.WriteBase64StringSegment([], isFinalSegment: true);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _spool?.DisposeAsync() ?? ValueTask.CompletedTask;

    // The streamed form's header, which a whole file replaces: WavEncoder's canonical 44 bytes; other formats are kept as they are.
    private static int StreamedHeaderSize(AudioFormat format) => format == AudioFormat.Wav ? WavHeader.Size : 0;

    private static byte[] ExactHeader(AudioFormat format, int sampleRate, long dataBytes)
    {
        if (format != AudioFormat.Wav) return [];
        var header = new byte[WavHeader.Size];
        // At most 15 minutes of 48 kHz PCM16 (86 MB): far below the 4 GiB a RIFF size holds.
        WavHeader.Write(header, sampleRate, checked((uint)dataBytes));
        return header;
    }
}
