using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Audio;

public sealed class PcmTests
{
    [Fact]
    public void Every_pcm16_value_converts_exactly_whatever_the_length_and_alignment()
    {
        var all = Enumerable.Range(short.MinValue, 65536).Select(v => (short)v).ToArray();
        foreach (var (start, length) in new[] { (0, 65536), (1, 65533), (7, 3), (100, 17), (65535, 1), (5, 0) })
        {
            var source = all.AsSpan(start, length);
            var converted = Pcm.Pcm16ToFloat(source);
            for (var i = 0; i < length; i++)
                Assert.Equal(source[i] / 32768f, converted[i]);
        }
    }

    [Fact]
    public void Float_to_pcm16_rounds_clamps_and_round_trips()
    {
        float[] input = [0f, 0.5f, -0.5f, 1f, -1f, 1.5f, -1.5f, 1e-6f];
        var output = new short[input.Length];
        Pcm.FloatToPcm16(input, output);
        Assert.Equal([0, 16384, -16384, 32767, -32767, 32767, -32768, 0], output);

        var all = Enumerable.Range(-32767, 65535).Select(v => (short)v).ToArray();
        var back = new short[all.Length];
        Pcm.FloatToPcm16(Pcm.Pcm16ToFloat(all).Select(f => f * 32768f / 32767f).ToArray(), back);
        Assert.Equal(all, back);
    }
}
