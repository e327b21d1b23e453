using System.Diagnostics;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// One request running on a leased worker: reads its frames under the no-progress and total-duration limits, and
/// on disposal gives the worker back, after cancelling and draining an unfinished request, or killing a broken worker.
/// </summary>
internal sealed class WorkerRequest : IAsyncDisposable
{
    private enum State { Running, Finished, Broken }

    private readonly WorkerProcess _worker;
    private readonly EngineWorkerPoolOptions _options;
    private readonly Action<WorkerProcess, bool> _release;
    private readonly uint _id;
    private readonly long _started = Stopwatch.GetTimestamp();
    private Task<WorkerFrame>? _pending;
    private State _state;

    public WorkerRequest(WorkerProcess worker, uint id, EngineWorkerPoolOptions options, Action<WorkerProcess, bool> release)
    {
        _worker = worker;
        _id = id;
        _options = options;
        _release = release;
    }

    /// <summary>Whether the request ran to Done; the pool uses it to reset its restart backoff.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>Sends the Synthesize frame.</summary>
    public ValueTask StartAsync(string engine, EngineRequest request, CancellationToken cancellationToken) =>
        SendAsync(() => _worker.SendSynthesizeAsync(_id, engine, request, _options.RequestTimeout), cancellationToken);

    /// <summary>Sends the Phonemize frame.</summary>
    public ValueTask StartPhonemizeAsync(string voice, string text, CancellationToken cancellationToken) =>
        SendAsync(() => _worker.SendPhonemizeAsync(_id, voice, text, _options.RequestTimeout), cancellationToken);

    /// <summary>The clauses of a Phonemize request.</summary>
    /// <exception cref="WorkerFailedException">The worker crashed, hung or sent a corrupt frame; it has been killed.</exception>
    /// <exception cref="EngineException">The worker reported an error (an unknown voice, no espeak-ng).</exception>
    public async ValueTask<PhonemeClause[]> ReadPhonemesAsync(CancellationToken cancellationToken)
    {
        var frame = await NextFrameAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (frame.Type)
            {
                case WorkerFrameType.Phonemes:
                    var (id, clauses) = WorkerMessages.ReadPhonemes(frame.Payload.Span);
                    ExpectId(id, frame.Type);
                    _state = State.Finished;
                    Succeeded = true;
                    return clauses;
                case WorkerFrameType.Error:
                    throw Reported(frame);
                default:
                    throw new WorkerProtocolException($"Unexpected {frame.Type} frame during a Phonemize request.");
            }
        }
        catch (WorkerProtocolException e)
        {
            throw BrokeProtocol(e);
        }
    }

    private async ValueTask SendAsync(Func<ValueTask> send, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            _state = State.Finished; // Cancelled while queued: hand the worker straight back.
            cancellationToken.ThrowIfCancellationRequested();
        }
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (EngineException)
        {
            _state = State.Finished; // Nothing was sent: the worker is untouched.
            throw;
        }
        catch (WorkerFailedException)
        {
            Break();
            throw;
        }
    }

    /// <summary>The next audio chunk, or null once the worker reports Done.</summary>
    /// <exception cref="WorkerFailedException">The worker crashed, hung or sent a corrupt frame; it has been killed.</exception>
    /// <exception cref="EngineException">The engine reported an error, or the request ran past MaxRequestDuration.</exception>
    public async ValueTask<AudioChunk?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await NextFrameAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                switch (frame.Type)
                {
                    case WorkerFrameType.Audio:
                        var (id, chunk) = WorkerMessages.ReadAudio(frame.Payload.Span);
                        ExpectId(id, frame.Type);
                        if (chunk.Samples.Length == 0 && chunk.Words.Count == 0) continue;
                        return chunk;
                    case WorkerFrameType.Done:
                        ExpectId(WorkerMessages.ReadRequestId(frame.Payload.Span), frame.Type);
                        _state = State.Finished;
                        Succeeded = true;
                        return null;
                    case WorkerFrameType.Error:
                        throw Reported(frame);
                    default:
                        throw new WorkerProtocolException($"Unexpected {frame.Type} frame during a request.");
                }
            }
            catch (WorkerProtocolException e)
            {
                throw BrokeProtocol(e);
            }
        }
    }

    /// <summary>Ends the request and returns the worker to the pool (healthy or to be replaced). Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == State.Running) await CancelAndDrainAsync().ConfigureAwait(false);
        _release(_worker, _state == State.Finished);
    }

    // The engine's own refusal ends the request normally: the worker stays healthy.
    private EngineException Reported(WorkerFrame frame)
    {
        var error = WorkerMessages.ReadError(frame.Payload.Span);
        ExpectId(error.RequestId, frame.Type);
        _state = State.Finished;
        return new EngineException(error.Kind, error.Message);
    }

    private WorkerFailedException BrokeProtocol(WorkerProtocolException e)
    {
        Break();
        return new WorkerFailedException($"The engine worker (pid {_worker.Id}) broke the protocol: {e.Message}", e);
    }

    private async Task<WorkerFrame> NextFrameAsync(CancellationToken cancellationToken)
    {
        var left = _options.MaxRequestDuration - Stopwatch.GetElapsedTime(_started);
        if (left <= TimeSpan.Zero) throw Overtime();
        _pending ??= _worker.ReadFrameAsync();
        try
        {
            var frame = await _pending.WaitAsync(left < _options.RequestTimeout ? left : _options.RequestTimeout, cancellationToken)
                .ConfigureAwait(false);
            _pending = null;
            return frame;
        }
        catch (TimeoutException) when (Stopwatch.GetElapsedTime(_started) >= _options.MaxRequestDuration)
        {
            throw Overtime();
        }
        catch (TimeoutException e)
        {
            Break();
            throw new WorkerFailedException(
                $"The engine worker (pid {_worker.Id}) sent nothing for {_options.RequestTimeout.TotalSeconds:0.#} s.", e);
        }
        catch (WorkerFailedException)
        {
            Break();
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else went wrong on the pipe, the stream position is unknown: the worker cannot be reused.
            Break();
            throw new WorkerFailedException($"Reading from the engine worker (pid {_worker.Id}) failed: {e.Message}", e);
        }
    }

    private async Task CancelAndDrainAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.CancelGracePeriod.TotalSeconds * Stopwatch.Frequency);
        try
        {
            await _worker.SendCancelAsync(_id, _options.CancelGracePeriod).ConfigureAwait(false);
            while (_state == State.Running)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                _pending ??= _worker.ReadFrameAsync();
                var frame = await _pending.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
                _pending = null;
                if (frame.Type is WorkerFrameType.Done or WorkerFrameType.Error or WorkerFrameType.Phonemes)
                {
                    var id = frame.Type switch
                    {
                        WorkerFrameType.Done => WorkerMessages.ReadRequestId(frame.Payload.Span),
                        WorkerFrameType.Phonemes => WorkerMessages.ReadPhonemes(frame.Payload.Span).RequestId,
                        _ => WorkerMessages.ReadError(frame.Payload.Span).RequestId,
                    };
                    ExpectId(id, frame.Type);
                    _state = State.Finished;
                }
                else if (frame.Type != WorkerFrameType.Audio)
                {
                    throw new WorkerProtocolException($"Unexpected {frame.Type} frame while cancelling.");
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or WorkerFailedException or WorkerProtocolException)
        {
            // It did not acknowledge in time (or broke): a fresh worker is cheaper than an uncertain one.
            Break();
        }
    }

    // The worker is alive, just not finished: disposal cancels it gracefully and it stays in the pool.
    private EngineException Overtime() => new(EngineErrorKind.EngineFailure,
        $"Synthesis took longer than the {_options.MaxRequestDuration.TotalSeconds:0.#} s limit.");

    private void ExpectId(uint id, WorkerFrameType type)
    {
        if (id != _id) throw new WorkerProtocolException($"{type} frame for request {id} while serving {_id}.");
    }

    private void Break()
    {
        _state = State.Broken;
        _worker.Kill();
        // The outstanding read now fails with end of stream; observe it so the failure is not reported as unobserved.
        _pending?.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        _pending = null;
    }
}
