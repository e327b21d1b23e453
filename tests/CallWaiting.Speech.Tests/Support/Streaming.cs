using System.Buffers;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>Streams audio through processors and encoders in irregular, seeded block sizes, as a live caller would.</summary>
internal static class Streaming
{
    /// <summary>The result of streaming a clip through an encoder in irregular blocks.</summary>
    public sealed record Streamed(byte[] Bytes, int BytesBeforeComplete, int WritesThatEmitted);

    /// <summary>Streams <paramref name="input"/> through <paramref name="processor"/> in irregular blocks and returns everything, tail included.</summary>
    public static float[] RunInBlocks(IAudioProcessor processor, float[] input, int seed = 1)
    {
        var output = new List<float>(input.Length);
        var offset = 0;
        foreach (var size in IrregularBlocks(input.Length, seed))
        {
            output.AddRange(processor.Process(input.AsSpan(offset, size)));
            offset += size;
        }

        output.AddRange(processor.Process(ReadOnlySpan<float>.Empty));
        output.AddRange(processor.Flush());
        return output.ToArray();
    }

    /// <summary>Feeds <paramref name="samples"/> to an encoder in blocks of 1–999 samples (seeded), then completes.</summary>
    public static Streamed EncodeInIrregularBlocks(AudioEncoder encoder, ReadOnlySpan<float> samples, int seed = 1)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>();
        var emitted = 0;
        while (!samples.IsEmpty)
        {
            var count = Math.Min(samples.Length, random.Next(1, 1000));
            var before = output.WrittenCount;
            encoder.Write(samples[..count], output);
            if (output.WrittenCount > before) emitted++;
            samples = samples[count..];
        }
        var beforeComplete = output.WrittenCount;
        encoder.Complete(output);
        return new Streamed(output.WrittenSpan.ToArray(), beforeComplete, emitted);
    }

    /// <summary>Pseudo-random block sizes (including 0 and 1) that cover <paramref name="total"/> samples.</summary>
    private static IEnumerable<int> IrregularBlocks(int total, int seed)
    {
        var random = new Random(seed);
        int[] special = [0, 1, 0, 1, 2, 3];
        var done = 0;
        var n = 0;
        while (done < total)
        {
            var size = n < special.Length ? special[n] : random.Next(0, 5) == 0 ? random.Next(0, 3) : random.Next(1, 3000);
            size = Math.Min(size, total - done);
            n++;
            done += size;
            yield return size;
        }
    }
}
