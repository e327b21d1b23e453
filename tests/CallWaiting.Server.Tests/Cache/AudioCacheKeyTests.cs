using CallWaiting.Server.Cache;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The content address: stable for equal requests, different as soon as anything that shapes the audio differs.</summary>
public sealed class AudioCacheKeyTests
{
    private static readonly CatalogVoice Slt = Voice("flite-slt", "flite", "slt", 16000);
    private static readonly SynthesisOptions Synthesis = new();
    private static readonly Guid Tenant = Guid.NewGuid();

    private static CatalogVoice Voice(string slug, string engine, string native, int rate) =>
        new(VoiceIds.FromSlug(slug), slug, slug, slug, new EngineVoice(slug, engine, native, slug, "en-US", VoiceGender.Female, rate, VoiceQuality.Standard));

    private static AudioCacheKey Key(string text = "Hello there.", bool ssml = false, CatalogVoice? voice = null, Guid? voiceId = null, Guid? tenant = null,
        AudioFormat format = AudioFormat.Wav, int? rate = null, double speed = 1.0, int? seed = null, AudioEncoderOptions? encoder = null,
        SynthesisOptions? synthesis = null) =>
        AudioCacheKeys.ForSynthesis(text, ssml, voice ?? Slt, voiceId ?? Slt.Id, tenant ?? Tenant, format, rate, speed, seed, encoder ?? AudioEncoderOptions.Default,
            synthesis ?? Synthesis);

    [Fact]
    public void Equal_requests_share_a_key_and_surrounding_whitespace_does_not_matter()
    {
        Assert.Equal(Key(), Key());
        Assert.Equal(Key(), Key("  Hello there.\n"));
        Assert.Matches("^[0-9a-f]{64}$", Key().ToString());
        Assert.Contains("+", AudioCacheKeys.EngineVersion);
    }

    [Fact]
    public void Every_field_that_shapes_the_audio_changes_the_key()
    {
        var variants = new[]
        {
            Key(), Key("Hello there!"), Key(ssml: true), Key(voice: Voice("flite-slt", "flite", "slt", 8000)), Key(voice: Voice("flite-rms", "flite", "rms", 16000)),
            Key(voice: Voice("espeak-slt", "espeak", "slt", 16000)), Key(voice: Slt with { EngineVoice = Slt.EngineVoice with { ModelVersion = "123-456-abc" } }),
            Key(voiceId: Guid.NewGuid()), Key(tenant: Guid.NewGuid()),
            Key(format: AudioFormat.Mp3), Key(rate: 16000), Key(speed: 1.25), Key(seed: 0), Key(seed: 1),
            Key(format: AudioFormat.Mp3, encoder: new AudioEncoderOptions { Mp3BitrateKbps = 32 }),
            Key(encoder: new AudioEncoderOptions { OpusBitrateKbps = 64 }),
            Key(synthesis: Synthesis with { SentenceSilence = TimeSpan.FromMilliseconds(200) }),
        };
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void A_string_field_cannot_bleed_into_the_next_one()
    {
        // Length prefixes keep "ab"+"c" apart from "a"+"bc".
        using var first = new AudioCacheKeyBuilder(16);
        first.Add("ab");
        first.Add("c");
        using var second = new AudioCacheKeyBuilder(16);
        second.Add("a");
        second.Add("bc");
        Assert.NotEqual(first.Build(), second.Build());
    }

    [Fact]
    public void A_long_text_grows_the_pooled_buffer_and_still_hashes_all_of_it()
    {
        var text = new string('x', 50_000);
        Assert.NotEqual(Key(text), Key(text[..^1] + "y"));
    }
}
