using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Speech.Tests.Synthesis;

public sealed class VoiceIdsTests
{
    // Reference values computed with Python's uuid.uuid5(namespace, slug), an independent implementation.
    [Theory]
    [InlineData("emily-en-us", "a51b0ec1-baa4-5daa-900b-02a7a6a13d47")]
    [InlineData("james-en-us", "6c64dc32-2f43-59b3-ba99-fda76daa5c9b")]
    [InlineData("sophia-en-gb", "cb889143-8fe0-5804-aa1c-6981fce6caee")]
    public void Slug_ids_are_rfc_version5_uuids(string slug, string expected) =>
        Assert.Equal(Guid.Parse(expected), VoiceIds.FromSlug(slug));

    [Fact]
    public void Ids_carry_version_5_and_the_rfc_variant()
    {
        var id = VoiceIds.FromSlug("flite-slt");
        Assert.Equal(5, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.NotEqual(id, VoiceIds.FromSlug("flite-rms"));
    }
}
