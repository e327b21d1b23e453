using System.Buffers;

namespace CallWaiting.Speech.Audio;

/// <summary>Base for streaming stages: enforces the stream lifecycle and offers output as fresh arrays or appended to a caller's buffer.</summary>
public abstract class AudioStage : IAudioProcessor
{
    // Reused by the array-returning overloads so each call allocates only its result.
    private readonly ArrayBufferWriter<float> _scratch = new();
    private bool _flushed;
    private bool _disposed;

    /// <inheritdoc />
    public float[] Process(ReadOnlySpan<float> input)
    {
        _scratch.ResetWrittenCount();
        Process(input, _scratch);
        return _scratch.WrittenSpan.ToArray();
    }

    /// <summary>Processes the next block and appends whatever output is ready to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">The stream was already flushed.</exception>
    public void Process(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(output);
        if (_flushed) throw new InvalidOperationException("The stream was already flushed; create a new processor for a new stream.");
        if (input.IsEmpty) return;
        ProcessCore(input, output);
    }

    /// <inheritdoc />
    public float[] Flush()
    {
        _scratch.ResetWrittenCount();
        Flush(_scratch);
        return _scratch.WrittenSpan.ToArray();
    }

    /// <summary>Ends the stream and appends any buffered tail to <paramref name="output"/>; later calls add nothing.</summary>
    public void Flush(IBufferWriter<float> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(output);
        if (_flushed) return;
        _flushed = true;
        FlushCore(output);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Processes a non-empty block of a stream that is neither flushed nor disposed.</summary>
    protected abstract void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output);

    /// <summary>Writes the buffered tail; called at most once.</summary>
    protected abstract void FlushCore(IBufferWriter<float> output);

    /// <summary>Releases native or pooled resources; called at most once.</summary>
    protected virtual void DisposeCore()
    {
    }
}
