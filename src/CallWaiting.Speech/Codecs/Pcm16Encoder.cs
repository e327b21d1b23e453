using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Codecs;

/// <summary>Raw PCM16 little-endian mono; nothing is buffered.</summary>
internal sealed class Pcm16Encoder : AudioEncoder
{
    // Bounds each span requested from the output so huge writes don't ask for one giant buffer.
    private const int BlockSamples = 16384;

    public Pcm16Encoder(int sampleRate) : base(AudioFormat.Pcm16, sampleRate)
    {
    }

    /// <summary>Converts floats to PCM16 LE straight into the output's memory.</summary>
    internal static void WritePcm16(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        while (!samples.IsEmpty)
        {
            var count = Math.Min(samples.Length, BlockSamples);
            var bytes = output.GetSpan(count * sizeof(short))[..(count * sizeof(short))];
            var pcm = MemoryMarshal.Cast<byte, short>(bytes);
            Pcm.FloatToPcm16(samples[..count], pcm);
            if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(pcm, pcm);
            output.Advance(bytes.Length);
            samples = samples[count..];
        }
    }

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output) => WritePcm16(samples, output);

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
    }
}
