using System.Buffers.Text;
using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generated_keys_have_the_prefix_length_and_base64_url_alphabet()
    {
        for (var i = 0; i < 200; i++)
        {
            var key = ApiKeyFormat.Generate();
            Assert.StartsWith("cw_live_", key);
            Assert.Equal(51, key.Length);
            Assert.Matches("^cw_live_[A-Za-z0-9_-]{43}$", key);
            Assert.True(ApiKeyFormat.IsWellFormed(key));
            Assert.Equal(32, Base64Url.DecodeFromChars(key.AsSpan(8)).Length);
            Assert.Equal(key[..20], ApiKeyFormat.GetLookupPrefix(key));
        }
    }

    [Fact]
    public void Generated_keys_carry_full_entropy()
    {
        const int count = 2000;
        var secrets = Enumerable.Range(0, count).Select(_ => Base64Url.DecodeFromChars(ApiKeyFormat.Generate().AsSpan(8))).ToList();

        Assert.Equal(count, secrets.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(count, secrets.Select(s => Convert.ToHexString(s, 0, 9)).Distinct().Count());

        // Every one of the 256 bit positions is set in about half the keys (binomial(2000, 0.5): ±5σ ≈ ±112).
        for (var bit = 0; bit < 256; bit++)
        {
            var ones = secrets.Count(s => (s[bit / 8] >> (bit % 8) & 1) == 1);
            Assert.InRange(ones, 1000 - 112, 1000 + 112);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cw_live_")]
    [InlineData("cw_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("CW_LIVE_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData(" cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void MalformedKeysAreRejected(string? key)
    {
        Assert.False(ApiKeyFormat.IsWellFormed(key));
        var error = Assert.Throws<ArgumentException>(() => ApiKeyFormat.Validate(key, "key"));
        if (key is { Length: > 8 })
        {
            Assert.DoesNotContain(key, error.Message);
        }
    }

    [Fact]
    public void Canonical_last_character_is_accepted()
    {
        // 'A', 'E', 'I', … encode sextets with two zero low bits; 'B' (sextet 1) above does not.
        Assert.True(ApiKeyFormat.IsWellFormed("cw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"));
        Assert.True(ApiKeyFormat.IsWellFormed("cw_live_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_w"));
    }
}
