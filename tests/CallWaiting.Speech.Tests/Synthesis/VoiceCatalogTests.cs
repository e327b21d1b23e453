using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Speech.Tests.Synthesis;

[Collection(SpeechRuntimeCollection.Name)]
public sealed class VoiceCatalogTests(SpeechRuntimeFixture fixture)
{
    private VoiceCatalog Catalog => fixture.Synthesizer.Catalog;

    [Theory]
    [InlineData("emily-en-us", "en-US", VoiceGender.Female, "flite-slt")]
    [InlineData("james-en-us", "en-US", VoiceGender.Male, "flite-rms")]
    [InlineData("sophia-en-gb", "en-GB", VoiceGender.Female, "espeak-en-gb-f3")]
    public void Seed_voices_map_to_the_best_embedded_voice(string slug, string language, VoiceGender gender, string engineVoice)
    {
        Assert.True(Catalog.TryResolve(slug, out var voice));
        Assert.Equal(language, voice.Language);
        Assert.Equal(gender, voice.Gender);
        Assert.Equal(engineVoice, voice.EngineVoice.Id);
        Assert.Equal(VoiceIds.FromSlug(slug), voice.Id);
    }

    [Fact]
    public void Every_engine_voice_is_listed_once_under_its_own_slug()
    {
        var engineVoices = fixture.Runtime.Pool.Voices;
        Assert.True(engineVoices.Count >= 100, $"only {engineVoices.Count} engine voices");
        foreach (var v in engineVoices)
        {
            Assert.True(Catalog.TryResolve(v.Id, out var listed), v.Id);
            Assert.Same(v, listed.EngineVoice);
        }
        Assert.Equal(Catalog.Voices.Count, Catalog.Voices.Select(v => v.Slug).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(engineVoices.Count + 3, Catalog.Voices.Count);
        Assert.DoesNotContain(Catalog.Voices, v => v.Slug.Contains("awb_time", StringComparison.Ordinal));
    }

    [Fact]
    public void Voices_resolve_by_uuid_and_case_insensitive_slug_but_not_by_unknown_names()
    {
        Assert.True(Catalog.TryResolve(VoiceIds.FromSlug("emily-en-us").ToString(), out var byId));
        Assert.Equal("emily-en-us", byId.Slug);
        Assert.True(Catalog.TryResolve("EMILY-EN-US", out var bySlug));
        Assert.Same(byId, bySlug);
        Assert.False(Catalog.TryResolve("nobody-xx", out _));
        Assert.False(Catalog.TryResolve(Guid.NewGuid().ToString(), out _));
    }
}
