using System.Buffers;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Codecs;

/// <summary>Raw G.711 (μ-law or A-law) mono, one byte per sample; nothing is buffered.</summary>
internal sealed class G711Encoder : AudioEncoder
{
    private const int BlockSamples = 4096;

    private readonly bool _mulaw;

    public G711Encoder(AudioFormat format, int sampleRate) : base(format, sampleRate)
    {
        if (format is not (AudioFormat.Mulaw or AudioFormat.Alaw))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "G.711 is either μ-law or A-law.");
        }
        _mulaw = format == AudioFormat.Mulaw;
    }

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        Span<short> pcm = stackalloc short[BlockSamples];
        while (!samples.IsEmpty)
        {
            var count = Math.Min(samples.Length, BlockSamples);
            var block = pcm[..count];
            Pcm.FloatToPcm16(samples[..count], block);
            var codes = output.GetSpan(count);
            if (_mulaw)
            {
                for (var i = 0; i < block.Length; i++) codes[i] = G711.LinearToMulaw(block[i]);
            }
            else
            {
                for (var i = 0; i < block.Length; i++) codes[i] = G711.LinearToAlaw(block[i]);
            }
            output.Advance(count);
            samples = samples[count..];
        }
    }

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
    }
}
