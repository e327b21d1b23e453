using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Synthesis;

/// <summary>What was streamed for one plan.</summary>
/// <param name="Samples">Output samples produced.</param>
/// <param name="SampleRate">Their sample rate.</param>
/// <param name="TimeToFirstAudio">From the start of streaming to the first chunk's flush; null if there was no audio.</param>
/// <param name="CompletedHeader">The encoder's <see cref="AudioEncoder.CompletedHeader"/>: the start of the file as its end made it known.</param>
public sealed record StreamedAudio(long Samples, int SampleRate, TimeSpan? TimeToFirstAudio, ReadOnlyMemory<byte> CompletedHeader = default)
{
    /// <summary>Duration of the audio produced.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples / SampleRate);
}

/// <summary>Writes a plan's encoded pieces into a pipe, flushing after each so the first bytes leave at once.</summary>
public static class AudioStreaming
{
    /// <summary>
    /// Streams the plan's audio, encoded by <see cref="SynthesisPlan.EncodeAsync"/>, into <paramref name="output"/>,
    /// flushing after every piece; does not complete the writer.
    /// </summary>
    public static async Task<StreamedAudio> WriteAsync(SynthesisPlan plan, PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        using var encoder = plan.CreateEncoder();
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        long samples = 0;
        await foreach (var piece in plan.EncodeAsync(encoder, cancellationToken).ConfigureAwait(false))
        {
            output.Write(piece.Audio.Span);
            samples += piece.Samples;
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            first ??= clock.Elapsed;
        }
        return new StreamedAudio(samples, plan.OutputSampleRate, first, encoder.CompletedHeader);
    }

    /// <summary>Rewrites the length fields a streaming header could not know, when the output is a seekable file.</summary>
    public static void FinalizeFile(Stream seekable, AudioFormat format)
    {
        if (format == AudioFormat.Wav) WavHeader.Patch(seekable);
    }

    /// <summary>
    /// Rewrites what a streaming header could not know once <paramref name="streamed"/> has landed in a seekable file:
    /// a WAV's lengths, FLAC's STREAMINFO (total samples, frame sizes, MD5). The stream's position is restored.
    /// </summary>
    public static void FinalizeFile(Stream seekable, AudioFormat format, StreamedAudio streamed)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        ArgumentNullException.ThrowIfNull(streamed);
        FinalizeFile(seekable, format);
        if (streamed.CompletedHeader.IsEmpty) return;
        var position = seekable.Position;
        seekable.Position = 0;
        seekable.Write(streamed.CompletedHeader.Span);
        seekable.Position = position;
    }
}
