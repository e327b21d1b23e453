using System.Text;
using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Signed tokens: genuine ones verify, any change or a token for another purpose does not.</summary>
public sealed class TokenSignerTests
{
    private static readonly TokenSigner Signer = new(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"));

    [Fact]
    public void A_signed_payload_verifies_for_its_purpose_only()
    {
        var token = Signer.Sign("ws", "payload"u8);
        Assert.True(Signer.TryVerify("ws", token, out var payload));
        Assert.Equal("payload"u8.ToArray(), payload);
        Assert.False(Signer.TryVerify("audio", token, out _));
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Every_single_character_change_is_refused()
    {
        var token = Signer.Sign("ws", "some payload of a token"u8);
        for (var i = 0; i < token.Length; i++)
        {
            var changed = token[..i] + (token[i] == 'x' ? 'y' : 'x') + token[(i + 1)..];
            Assert.False(Signer.TryVerify("ws", changed, out _), $"changed at {i}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("!!!.###")]
    public void Malformed_tokens_are_refused(string? token) => Assert.False(Signer.TryVerify("ws", token, out _));

    [Fact]
    public void Another_secret_or_a_short_secret_does_not_work()
    {
        var other = new TokenSigner(Encoding.ASCII.GetBytes("another secret of thirty-two byte"));
        Assert.False(other.TryVerify("ws", Signer.Sign("ws", "x"u8), out _));
        Assert.Throws<ArgumentException>(() => new TokenSigner(new byte[16]));
        Assert.True(TokenSigner.Create(new RealtimeOptions()).IsEphemeral);
        Assert.False(TokenSigner.Create(new RealtimeOptions { SigningSecret = Convert.ToBase64String(new byte[32]) }).IsEphemeral);
    }
}
