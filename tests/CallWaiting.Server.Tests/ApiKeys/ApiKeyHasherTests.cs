using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeyHasherTests
{
    private readonly ApiKeyHasher _hasher = new();

    [Fact]
    public void Hash_is_a_salted_scrypt_string_that_never_contains_the_key()
    {
        var key = ApiKeyFormat.Generate();
        var first = _hasher.Hash(key);
        var second = _hasher.Hash(key);

        Assert.StartsWith("$7$", first);
        Assert.DoesNotContain('\0', first);
        Assert.NotEqual(key, first);
        Assert.DoesNotContain(key[8..], first);
        Assert.DoesNotContain(key[8..20], first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_accepts_the_key_and_rejects_anything_else()
    {
        var key = ApiKeyFormat.Generate();
        var hash = _hasher.Hash(key);
        var samePrefixOtherSecret = key[..20] + ApiKeyFormat.Generate()[20..];

        Assert.True(_hasher.Verify(hash, key));
        Assert.False(_hasher.Verify(hash, samePrefixOtherSecret));
        Assert.False(_hasher.Verify(hash, key + "x"));
        Assert.False(_hasher.Verify("not a hash", key));
        Assert.False(_hasher.Verify(hash[..^2], key));
        Assert.Equal(5, _hasher.Verifications);
    }

    [Fact]
    public void Cost_below_libsodium_minimum_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiKeyHasher(opsLimit: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiKeyHasher(memLimit: 1024 * 1024));
    }
}
