using System.Threading.Channels;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// One request's view of an <see cref="AudioRendering"/>: its pieces in order from the first. Disposing it leaves the
/// rendering, which cancels synthesis when no reader is left.
/// </summary>
public sealed class AudioRenderingReader : IAsyncDisposable
{
    private readonly AudioRendering _rendering;
    private readonly ChannelReader<AudioPiece> _pieces;
    private bool _left;

    internal AudioRenderingReader(AudioRendering rendering, ChannelReader<AudioPiece> pieces, bool coalesced)
    {
        _rendering = rendering;
        _pieces = pieces;
        Coalesced = coalesced;
    }

    /// <summary>Whether this request joined a rendering another request had started (so it costs no synthesis of its own).</summary>
    public bool Coalesced { get; }

    /// <summary>The audio's sample rate.</summary>
    public int SampleRate => _rendering.SampleRate;

    /// <summary>
    /// Waits until the first audio is ready, so that every refusal (full queue, engine error, nothing speakable) is
    /// still a <see cref="TtsRequestException"/> that can be answered as JSON.
    /// </summary>
    public async Task WaitForAudioAsync(CancellationToken cancellationToken)
    {
        if (!await _pieces.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_text", "The text holds nothing to speak.") { Field = "text" };
    }

    /// <summary>The next piece, or null after the last; a synthesis failure is thrown (a <see cref="TtsRequestException"/> for engine and encoder failures).</summary>
    public async ValueTask<AudioPiece?> ReadAsync(CancellationToken cancellationToken)
    {
        while (await _pieces.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_pieces.TryRead(out var piece)) return piece;
        }
        return null;
    }

    /// <summary>Completes once the rendering has ended and a complete one has been stored in every cache tier.</summary>
    public Task WhenStoredAsync() => _rendering.Ended;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_left) return ValueTask.CompletedTask;
        _left = true;
        return _rendering.LeaveAsync(_pieces);
    }
}
