using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Speech.Tests.Synthesis;

/// <summary>Chunk-relative word boundaries to absolute milliseconds, for engines with word lengths (flite) and without (espeak-ng).</summary>
public sealed class WordTimelineTests
{
    private static AudioChunk Chunk(int samples, params WordBoundary[] words) => new(new float[samples], 1000, words);

    [Fact]
    public void Words_with_lengths_are_placed_at_once_relative_to_the_stream()
    {
        var timeline = new WordTimeline(1000);
        var done = new List<WordTiming>();
        timeline.Add(Chunk(500, new WordBoundary("hello", 100, 300)), done);
        timeline.Add(Chunk(500, new WordBoundary("world", 50, 400)), done);
        Assert.Equal([new WordTiming("hello", 100, 400), new WordTiming("world", 550, 950)], done);
        timeline.Finish(done);
        Assert.Equal(1000, timeline.DurationMs);
        Assert.Equal(2, done.Count);
    }

    [Fact]
    public void Words_without_lengths_end_where_the_next_starts_or_with_the_audio()
    {
        var timeline = new WordTimeline(1000);
        var done = new List<WordTiming>();
        timeline.Add(Chunk(400, new WordBoundary("one", 0, 0), new WordBoundary("two", 200, 0)), done);
        Assert.Equal([new WordTiming("one", 0, 200)], done);
        timeline.Add(Chunk(400, new WordBoundary("three", 100, 0)), done);
        Assert.Equal(new WordTiming("two", 200, 500), done[^1]);
        timeline.Finish(done);
        Assert.Equal(new WordTiming("three", 500, 800), done[^1]);
    }

    [Fact]
    public void Finishing_clamps_word_ends_to_the_audio()
    {
        var timeline = new WordTimeline(2000);
        var done = new List<WordTiming>();
        timeline.Add(Chunk(1000, new WordBoundary("long", 500, 5000)), done);
        timeline.Finish(done);
        Assert.Equal(new WordTiming("long", 250, 500), done.Single());
    }
}
