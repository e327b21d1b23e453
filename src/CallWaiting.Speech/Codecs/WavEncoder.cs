using System.Buffers;

namespace CallWaiting.Speech.Codecs;

/// <summary>Streams RIFF/WAVE PCM16 mono: the header (with unknown sizes, see <see cref="WavHeader"/>) goes out with the first write or flush.</summary>
internal sealed class WavEncoder : AudioEncoder
{
    private bool _headerWritten;

    public WavEncoder(int sampleRate) : base(AudioFormat.Wav, sampleRate)
    {
    }

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        // An empty write commits nothing, so a stream that stays empty still gets the exact header in Complete.
        if (samples.IsEmpty) return;
        if (!_headerWritten) WriteHeader(output, WavHeader.UnknownLength);
        Pcm16Encoder.WritePcm16(samples, output);
    }

    // The only thing a WAV stream can hold back is its header: a flush before any audio sends it, so that a stream's
    // first bytes can go out (and survive a WebSocket barge-in) before anything is synthesized.
    private protected override int FlushCore(IBufferWriter<byte> output)
    {
        if (!_headerWritten) WriteHeader(output, WavHeader.UnknownLength);
        return 0;
    }

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
        // Nothing was streamed yet, so the length is known: an empty clip gets a fully correct header.
        if (!_headerWritten) WriteHeader(output, 0);
    }

    private void WriteHeader(IBufferWriter<byte> output, uint dataBytes)
    {
        WavHeader.Write(output.GetSpan(WavHeader.Size), SampleRate, dataBytes);
        output.Advance(WavHeader.Size);
        _headerWritten = true;
    }
}
