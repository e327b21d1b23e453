using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Input segmentation: client text, flushes, close and clear into queue entries, numbered and tagged with their generation.</summary>
public sealed class InputSegmenterTests
{
    [Fact]
    public void Complete_sentences_become_numbered_utterances_of_the_current_generation_and_the_rest_waits()
    {
        var input = new InputSegmenter(400, 120);
        Assert.Equal([new Utterance(0, 1, "Hello there."), new Utterance(0, 2, "How are you?")],
            input.Text("Hello there. How are you? I am", generation: 0));
        Assert.Equal(" I am".Length, input.Buffered);
        Assert.Equal([new Utterance(3, 3, "I am fine.")], input.Text(" fine. ", generation: 3));
    }

    [Fact]
    public void A_flush_hands_out_the_rest_then_its_marker_and_a_flush_with_nothing_buffered_only_the_marker()
    {
        var input = new InputSegmenter(400, 120);
        Assert.Empty(input.Text("please hold the line", generation: 2));
        Assert.Equal([new Utterance(2, 1, "please hold the line"), new FlushMarker(2)], input.Flush(generation: 2));
        Assert.Equal([new FlushMarker(2)], input.Flush(generation: 2));
        Assert.Equal(0, input.Buffered);
    }

    [Fact]
    public void Close_hands_out_the_rest_without_a_marker_and_clear_drops_what_is_buffered()
    {
        var input = new InputSegmenter(400, 120);
        input.Text("This is interrupted", generation: 0);
        input.Clear();
        Assert.Equal(0, input.Buffered);
        Assert.Empty(input.Close(generation: 1));

        input.Text("Sorry, go ahead", generation: 1);
        Assert.Equal([new Utterance(1, 1, "Sorry, go ahead")], input.Close(generation: 1));
    }

    [Fact]
    public void Text_without_a_boundary_is_cut_at_the_utterance_limit_so_nothing_grows_unbounded()
    {
        var input = new InputSegmenter(maxUtteranceChars: 20, clauseSplitChars: 20);
        var work = input.Text(string.Join(' ', Enumerable.Repeat("word", 30)), generation: 0);
        Assert.True(work.Count >= 6, $"{work.Count} utterances");
        Assert.All(work, w => Assert.InRange(((Utterance)w).Text.Length, 1, 20));
        Assert.Equal(Enumerable.Range(1, work.Count), work.Cast<Utterance>().Select(u => u.Sequence));
        Assert.InRange(input.Buffered, 0, 20);
    }
}
