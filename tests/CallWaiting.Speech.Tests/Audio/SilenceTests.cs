using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Silence generation.</summary>
public sealed class SilenceTests
{
    [Theory]
    [InlineData(8000, 250, 2000)]
    [InlineData(22050, 100, 2205)]
    [InlineData(44100, 0, 0)]
    [InlineData(24000, 1, 24)]
    public void MakesTheRightNumberOfZeroSamples(int rate, int milliseconds, int expected)
    {
        var samples = Silence.Create(rate, TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, samples.Length);
        Assert.All(samples, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Chunk_carries_rate_and_duration()
    {
        var chunk = Silence.Chunk(16000, TimeSpan.FromMilliseconds(500));

        Assert.Equal(16000, chunk.SampleRate);
        Assert.Equal(TimeSpan.FromMilliseconds(500), chunk.Duration);
        Assert.Empty(chunk.Words);
    }

    [Fact]
    public void Invalid_requests_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Silence.Create(16000, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Silence.Create(16000, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Silence.Create(100, TimeSpan.FromSeconds(1)));
    }
}
