using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ScopesTests
{
    [Fact]
    public void Parses_lists_with_spaces_and_duplicates_into_a_canonical_form()
    {
        var scopes = Scopes.Parse(" usage:read, tts:write,tts:write voices:read ");

        Assert.Equal(3, scopes.Count);
        Assert.Equal("tts:write,voices:read,usage:read", Scopes.Format(scopes));
        Assert.Equal(Scopes.DefaultForNewKeys, Scopes.Format(Scopes.Parse(Scopes.DefaultForNewKeys)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("tts:write,tts:read")]
    [InlineData("ADMIN")]
    public void RejectsEmptyOrUnknownScopes(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => Scopes.Parse(text));
        Assert.Contains("tts:write", error.Message);
    }

    [Fact]
    public void Admin_implies_every_scope()
    {
        var admin = Scopes.Parse("admin");
        var reader = Scopes.Parse("voices:read");

        Assert.All(Scopes.All, scope => Assert.True(Scopes.Grants(admin, scope)));
        Assert.True(Scopes.Grants(reader, Scopes.VoicesRead));
        Assert.False(Scopes.Grants(reader, Scopes.TtsWrite));
        Assert.False(Scopes.Grants(reader, Scopes.Admin));
    }

    [Fact]
    public void Stored_lists_drop_scopes_unknown_to_this_version()
    {
        Assert.Equal("tts:write", Scopes.Format(Scopes.FromStored("tts:write,billing:read")));
        Assert.Empty(Scopes.FromStored(null));
    }
}
