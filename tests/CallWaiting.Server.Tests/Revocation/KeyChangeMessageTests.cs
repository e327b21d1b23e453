using CallWaiting.Server.Revocation;

namespace CallWaiting.Server.Tests.Revocation;

public sealed class KeyChangeMessageTests
{
    [Fact]
    public void Round_trips_id_and_status()
    {
        var id = Guid.NewGuid();
        var text = KeyChangeMessage.Format(id, "suspended");
        Assert.Equal($"{id:D}:suspended", text);
        Assert.True(KeyChangeMessage.TryParse(text, out var parsed, out var status));
        Assert.Equal(id, parsed);
        Assert.Equal("suspended", status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("revoked")]
    [InlineData(":revoked")]
    [InlineData("not-a-guid:revoked")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301:")]
    public void Rejects_malformed_messages(string? text) =>
        Assert.False(KeyChangeMessage.TryParse(text, out _, out _));
}
