using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Per-flush metering of a session: synthesized and cached audio apart, time to first audio, and the session's totals.</summary>
public sealed class FlushMeterTests
{
    [Fact]
    public void A_flush_keeps_synthesized_and_cached_audio_apart_and_the_next_flush_starts_from_zero()
    {
        var meter = new FlushMeter();
        meter.Add(characters: 30, samples: 48_000, cached: false, elapsed: TimeSpan.FromMilliseconds(400));
        meter.Add(characters: 12, samples: 24_000, cached: true, elapsed: TimeSpan.FromMilliseconds(5));
        meter.Add(characters: 8, samples: 12_000, cached: false, elapsed: TimeSpan.FromMilliseconds(100));

        var flush = meter.Take();
        Assert.Equal((38L, 60_000L, TimeSpan.FromMilliseconds(500)), (flush.Characters, flush.Samples, flush.Synthesis));
        Assert.Equal((12L, 24_000L), (flush.CachedCharacters, flush.CachedSamples));
        Assert.Equal((50L, 84_000L), (flush.TotalCharacters, flush.TotalSamples));

        Assert.Equal(default, meter.Take());
        meter.Add(characters: 5, samples: 1_000, cached: true, elapsed: TimeSpan.Zero);
        Assert.Equal((55L, 85_000L), (meter.TotalCharacters, meter.TotalSamples));
        var next = meter.Take();
        Assert.Equal((0L, 5L, 1_000L), (next.Characters, next.CachedCharacters, next.CachedSamples));
    }

    [Fact]
    public void A_flush_times_its_first_synthesized_audio_and_a_flush_served_from_the_cache_has_none()
    {
        var meter = new FlushMeter();
        meter.Add(characters: 10, samples: 1_000, cached: true, elapsed: TimeSpan.FromMilliseconds(3));
        meter.FirstAudio(TimeSpan.FromMilliseconds(40)); // the second utterance, synthesized
        meter.Add(characters: 10, samples: 1_000, cached: false, elapsed: TimeSpan.FromMilliseconds(300));
        meter.FirstAudio(TimeSpan.FromMilliseconds(90)); // the third
        meter.Add(characters: 10, samples: 1_000, cached: false, elapsed: TimeSpan.FromMilliseconds(200));
        var flush = meter.Take();
        Assert.Equal(TimeSpan.FromMilliseconds(40), flush.FirstAudio);
        Assert.Equal(TimeSpan.FromMilliseconds(500), flush.Synthesis);

        meter.Add(characters: 10, samples: 1_000, cached: true, elapsed: TimeSpan.FromMilliseconds(2));
        Assert.Null(meter.Take().FirstAudio);
    }
}
