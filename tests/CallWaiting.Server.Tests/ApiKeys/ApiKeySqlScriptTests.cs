using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeySqlScriptTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("''; DROP TABLE api_keys; --", "'''''; DROP TABLE api_keys; --'")]
    [InlineData(@"back\slash's", @"E'back\\slash''s'")]
    public void LiteralsQuoteSafely(string value, string expected) => Assert.Equal(expected, ApiKeySqlScript.Literal(value));

    [Fact]
    public void Nul_characters_are_refused() => Assert.Throws<ArgumentException>(() => ApiKeySqlScript.Literal("a\0b"));
}
