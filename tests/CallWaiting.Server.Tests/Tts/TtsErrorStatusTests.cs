using CallWaiting.Server.Tts;

namespace CallWaiting.Server.Tests.Tts;

public sealed class TtsErrorStatusTests
{
    // The HTTP contract's statuses, now read from a transport-free kind: each kind keeps the status it had as a number.
    [Theory]
    [InlineData(TtsErrorKind.InvalidInput, 400)]
    [InlineData(TtsErrorKind.TooLarge, 413)]
    [InlineData(TtsErrorKind.UnsupportedMediaType, 415)]
    [InlineData(TtsErrorKind.NotFound, 404)]
    [InlineData(TtsErrorKind.Overloaded, 503)]
    [InlineData(TtsErrorKind.Unavailable, 503)]
    [InlineData(TtsErrorKind.Failed, 500)]
    public void Each_kind_answers_http_with_its_status(TtsErrorKind kind, int status) =>
        Assert.Equal(status, TtsErrorStatus.Of(kind));
}
