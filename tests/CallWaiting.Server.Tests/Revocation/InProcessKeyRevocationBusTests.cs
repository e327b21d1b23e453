using CallWaiting.Server.Revocation;

namespace CallWaiting.Server.Tests.Revocation;

public sealed class InProcessKeyRevocationBusTests
{
    [Fact]
    public async Task Publishing_runs_every_handler_before_returning_even_when_one_throws()
    {
        var bus = new InProcessKeyRevocationBus();
        var seen = new List<Guid>();
        bus.KeyChanged += _ => throw new InvalidOperationException("broken cache");
        bus.KeyChanged += seen.Add;
        var id = Guid.NewGuid();

        await bus.PublishAsync(id, "revoked");

        Assert.Equal([id], seen);
        Assert.Equal(0, bus.Generation);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("re voked")]
    [InlineData("a:b")]
    public async Task Rejects_a_malformed_status(string status) =>
        await Assert.ThrowsAsync<ArgumentException>(() => new InProcessKeyRevocationBus().PublishAsync(Guid.NewGuid(), status));
}
