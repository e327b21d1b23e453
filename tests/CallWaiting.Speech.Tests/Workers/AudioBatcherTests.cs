using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Workers;

public sealed class AudioBatcherTests
{
    private readonly List<(short[] Samples, int Rate, WordBoundary[] Words)> _sent = [];

    private void Send(ReadOnlySpan<short> samples, int rate, IReadOnlyList<WordBoundary> words) =>
        _sent.Add((samples.ToArray(), rate, [.. words]));

    private static short[] Block(int length, short start) => [.. Enumerable.Range(start, length).Select(i => (short)i)];

    [Fact]
    public void First_block_goes_at_once_and_later_blocks_gather_into_quarter_second_frames()
    {
        var batcher = new AudioBatcher();
        batcher.Add(Block(100, 0), 16000, [], Send);
        Assert.Single(_sent);

        // 39 more blocks of 100 samples: 3,900 samples stay below 16000 / 4 = 4,000, unless 10 ms of engine time passed.
        for (var i = 1; i < 40; i++) batcher.Add(Block(100, (short)(i * 100)), 16000, [], Send);
        batcher.Add(Block(100, 4000), 16000, [], Send);
        batcher.Flush(Send);

        var all = _sent.SelectMany(s => s.Samples).ToArray();
        Assert.Equal(Block(4100, 0), all);
        Assert.True(_sent.Count <= 1 + 41 / 2, $"{_sent.Count} frames for 41 blocks: nothing was gathered");
        Assert.All(_sent, s => Assert.Equal(16000, s.Rate));
    }

    [Fact]
    public void Word_offsets_follow_their_block_into_the_frame()
    {
        var batcher = new AudioBatcher();
        batcher.Add(Block(10, 0), 8000, [], Send);
        batcher.Add(Block(50, 10), 8000, [new WordBoundary("hello", 5, 20)], Send);
        batcher.Add(Block(50, 60), 8000, [new WordBoundary("there", 7, 30)], Send);
        batcher.Flush(Send);

        Assert.Equal(2, _sent.Count);
        foreach (var (word, absolute) in new[] { ("hello", 15), ("there", 67) })
        {
            var (samples, _, words) = _sent.First(s => s.Words.Any(w => w.Word == word));
            var frameStart = _sent.TakeWhile(s => !ReferenceEquals(s.Samples, samples)).Sum(s => s.Samples.Length);
            Assert.Equal(absolute, frameStart + words.Single(w => w.Word == word).SampleOffset);
        }
    }

    [Fact]
    public void A_rate_change_or_a_reset_never_mixes_audio_across_rates_or_requests()
    {
        var batcher = new AudioBatcher();
        batcher.Add(Block(10, 0), 8000, [], Send);
        batcher.Add(Block(10, 10), 8000, [], Send);
        batcher.Add(Block(10, 20), 16000, [], Send);
        batcher.Flush(Send);
        Assert.Equal([8000, 8000, 16000], _sent.Select(s => s.Rate));

        _sent.Clear();
        batcher.Reset();
        batcher.Add(Block(10, 0), 8000, [], Send);
        batcher.Add(Block(10, 10), 8000, [], Send);
        batcher.Reset();
        batcher.Add(Block(10, 100), 8000, [], Send);
        Assert.Equal([Block(10, 0), Block(10, 100)], _sent.Select(s => s.Samples));
    }
}
