using Microsoft.ML.OnnxRuntime;

namespace CallWaiting.Speech.Engines.Onnx;

/// <summary>
/// One model's turns at its shared session: how many graph calls run at once, how many may wait, and each call run off
/// the caller's thread with cancellation that stops it in progress.
/// </summary>
public sealed class OnnxTurns : IDisposable
{
    private readonly SemaphoreSlim _turns;
    private readonly int _maxQueue;
    private int _waiting;

    /// <summary>Turns from the settings' per-model limits.</summary>
    public OnnxTurns(OnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _turns = new SemaphoreSlim(options.MaxConcurrencyPerModel, options.MaxConcurrencyPerModel);
        _maxQueue = options.MaxQueuePerModel;
    }

    /// <summary>Waits for a turn, then runs <paramref name="run"/> (one graph call) with run options that cancellation terminates.</summary>
    /// <param name="run">The graph call.</param>
    /// <param name="model">How failures name the model ("The Piper model x.onnx").</param>
    /// <param name="mayQueue">Wait for a turn even past the queue limit (a stream already admitted).</param>
    /// <param name="cancellationToken">Stops waiting, and stops a running graph call.</param>
    /// <exception cref="EngineException">Overloaded, or the graph failed.</exception>
    public async Task<T> RunAsync<T>(Func<RunOptions, T> run, string model, bool mayQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Interlocked.Increment(ref _waiting) > _maxQueue + _turns.CurrentCount && !mayQueue)
        {
            Interlocked.Decrement(ref _waiting);
            throw new EngineException(EngineErrorKind.Overloaded, "Every turn of this voice's model is taken; retry shortly.");
        }
        try
        {
            await _turns.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        try
        {
            return await Task.Run(() => Call(run, model, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turns.Release();
        }
    }

    /// <summary>Releases the semaphore.</summary>
    public void Dispose() => _turns.Dispose();

    private static T Call<T>(Func<RunOptions, T> run, string model, CancellationToken cancellationToken)
    {
        using var options = new RunOptions();
        // RunOptions.Terminate stops a call in progress at ONNX Runtime's next check.
        using var stop = cancellationToken.Register(() => options.Terminate = true);
        try
        {
            return run(options);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, $"{model} failed: {e.Message.Split('\n')[0]}", e);
        }
    }
}
