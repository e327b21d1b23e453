using System.Runtime.CompilerServices;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// A supervised pool of long-lived engine worker processes hosting the native engines (flite, espeak-ng), so
/// that a crash, hang or <c>exit()</c> inside a native library costs one request at most, never the API process.
/// </summary>
/// <remarks>
/// Each worker serves one request at a time. Requests wait in a bounded queue when every worker is busy, and fail
/// fast with <see cref="EngineErrorKind.Overloaded"/> past it. A worker that dies, stops sending for
/// <see cref="EngineWorkerPoolOptions.RequestTimeout"/> or sends a corrupt frame is killed and replaced (with
/// backoff); its request is retried once on another worker if no audio had reached the caller yet, and otherwise
/// fails with <see cref="EngineErrorKind.EngineFailure"/>.
/// </remarks>
public sealed class EngineWorkerPool : IPhonemizer, IAsyncDisposable
{
    // The hosted engine whose workers also phonemize (Espeak.EspeakSynthesizer.EngineName).
    private const string EspeakEngine = "espeak";

    private readonly EngineWorkerPoolOptions _options;
    private readonly WorkerCommand _command;
    private readonly ILogger _logger;
    private readonly WorkerSlots _slots;
    private readonly Dictionary<string, EngineCapabilities> _capabilities;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _backgroundGate = new();
    private readonly List<Task> _background = [];
    private int _nextRequestId;
    private int _consecutiveFailures;
    private long _restarts;

    private EngineWorkerPool(EngineWorkerPoolOptions options, WorkerCommand command, ILogger logger, WorkerHello hello)
    {
        _options = options;
        _command = command;
        _logger = logger;
        _slots = new WorkerSlots(options.QueueCapacity);
        _capabilities = hello.Engines.ToDictionary(e => e.Name, e => e.Capabilities, StringComparer.Ordinal);
        Engines = [.. hello.Engines.Select(e => e.Name)];
        Voices = [.. hello.Engines.SelectMany(e => e.Voices)];
    }

    /// <summary>The engines the workers host.</summary>
    public IReadOnlyList<string> Engines { get; }

    /// <summary>Every voice of every hosted engine.</summary>
    public IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>Workers serving a request right now.</summary>
    public int BusyWorkers => _slots.Busy;

    /// <summary>Requests waiting for a worker.</summary>
    public int QueueDepth => _slots.Waiting;

    /// <summary>Workers started to replace failed ones since the pool started.</summary>
    public long WorkerRestarts => Interlocked.Read(ref _restarts);

    /// <summary>Process ids of the live workers (for tests and operations).</summary>
    public int[] WorkerProcessIds => [.. _slots.Snapshot().Select(w => w.Id)];

    /// <summary>Starts every worker eagerly and reads the engines and voices they host.</summary>
    /// <exception cref="EngineException">A worker could not be started (kind <see cref="EngineErrorKind.EngineFailure"/>).</exception>
    public static async Task<EngineWorkerPool> StartAsync(EngineWorkerPoolOptions options, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        var command = options.ResolveWorkerCommand();
        var starts = Enumerable.Range(0, options.WorkerCount)
            .Select(_ => WorkerProcess.StartAsync(command, options.StartupTimeout, logger, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
                await start.Result.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var pool = new EngineWorkerPool(options, command, logger, starts[0].Result.Hello);
        foreach (var failure in starts[0].Result.Hello.Failures)
            WorkerLog.EngineLoadFailed(logger, starts[0].Result.Id, failure.Engine, failure.Message);
        foreach (var start in starts) pool.Adopt(start.Result);
        return pool;
    }

    /// <summary>What <paramref name="engine"/> can do.</summary>
    /// <exception cref="ArgumentException">The pool does not host that engine.</exception>
    public EngineCapabilities GetCapabilities(string engine) =>
        _capabilities.TryGetValue(engine, out var capabilities)
            ? capabilities
            : throw new ArgumentException($"No engine worker hosts '{engine}'.", nameof(engine));

    /// <summary>Synthesizes one chunk of text on a worker, streaming audio chunks as the worker produces them.</summary>
    /// <exception cref="EngineException">Overloaded, the engine rejected the request, or the worker failed.</exception>
    public async IAsyncEnumerable<AudioChunk> SynthesizeAsync(string engine, EngineRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(request);
        if (!_capabilities.ContainsKey(engine))
            throw new EngineException(EngineErrorKind.InvalidRequest, $"Unknown engine '{engine}'.");

        for (var attempt = 1; ; attempt++)
        {
            var worker = await _slots.AcquireAsync(request.Continuation, cancellationToken).ConfigureAwait(false);
            var id = (uint)Interlocked.Increment(ref _nextRequestId);
            var work = new WorkerRequest(worker, id, _options, Release);
            var started = false;
            var yielded = false;
            var retry = false;
            try
            {
                while (true)
                {
                    AudioChunk? chunk;
                    try
                    {
                        if (!started) await work.StartAsync(engine, request, cancellationToken).ConfigureAwait(false);
                        started = true;
                        chunk = await work.ReadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (WorkerFailedException e) when (!yielded && attempt == 1)
                    {
                        WorkerLog.Retrying(_logger, e.Message);
                        retry = true;
                        break;
                    }
                    catch (WorkerFailedException e)
                    {
                        throw new EngineException(EngineErrorKind.EngineFailure,
                            $"The {engine} engine failed during synthesis; the request was not completed.", e);
                    }
                    if (chunk is null) break;
                    yielded = true;
                    yield return chunk;
                }
            }
            finally
            {
                await work.DisposeAsync().ConfigureAwait(false);
                if (work.Succeeded) Volatile.Write(ref _consecutiveFailures, 0);
            }
            if (!retry) yield break;
        }
    }

    /// <inheritdoc />
    /// <remarks>It waits for a worker in the same queue as synthesis, and is retried once if its worker fails.</remarks>
    public async Task<IReadOnlyList<PhonemeClause>> PhonemizeAsync(string voice, string text, bool continuation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(text);
        if (!_capabilities.ContainsKey(EspeakEngine))
            throw new EngineException(EngineErrorKind.Unavailable, "espeak-ng, which translates text to phonemes, is not loaded in the engine workers.");
        for (var attempt = 1; ; attempt++)
        {
            var worker = await _slots.AcquireAsync(continuation, cancellationToken).ConfigureAwait(false);
            var work = new WorkerRequest(worker, (uint)Interlocked.Increment(ref _nextRequestId), _options, Release);
            try
            {
                await work.StartPhonemizeAsync(voice, text, cancellationToken).ConfigureAwait(false);
                return await work.ReadPhonemesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (WorkerFailedException e) when (attempt == 1)
            {
                WorkerLog.Retrying(_logger, e.Message);
            }
            catch (WorkerFailedException e)
            {
                throw new EngineException(EngineErrorKind.EngineFailure, "The engine worker failed while translating text to phonemes.", e);
            }
            finally
            {
                await work.DisposeAsync().ConfigureAwait(false);
                if (work.Succeeded) Volatile.Write(ref _consecutiveFailures, 0);
            }
        }
    }

    /// <summary>Kills every worker and fails queued requests.</summary>
    public async ValueTask DisposeAsync()
    {
        var workers = _slots.Close();
        if (workers is null) return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        while (true)
        {
            Task[] pending;
            lock (_backgroundGate) pending = [.. _background.Where(t => !t.IsCompleted)];
            if (pending.Length == 0) break;
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        _shutdown.Dispose();
    }

    /// <summary>Puts a started worker into service; false when the pool has closed meanwhile.</summary>
    private bool Adopt(WorkerProcess worker)
    {
        worker.Exited += OnWorkerExited;
        if (!_slots.Add(worker)) return false;
        WorkerLog.WorkerStarted(_logger, worker.Id, string.Join(", ", worker.Hello.Engines.Select(e => e.Name)));
        if (worker.HasExited) OnWorkerExited(worker); // Died before Exited was hooked up.
        return true;
    }

    private void Release(WorkerProcess worker, bool healthy)
    {
        if (!_slots.Release(worker, healthy && !worker.HasExited)) return;
        WorkerLog.WorkerFailed(_logger, worker.Id, worker.HasExited ? worker.DescribeExit() : "broken or unresponsive");
        Replace(worker);
    }

    private void OnWorkerExited(WorkerProcess worker)
    {
        // Busy workers are handled by their request, which sees the closed pipe; only idle ones are handled here.
        if (!_slots.RemoveUnleased(worker)) return;
        WorkerLog.IdleWorkerExited(_logger, worker.Id, worker.DescribeExit());
        Replace(worker);
    }

    private void Replace(WorkerProcess failed)
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        Track(ReplaceAsync(failed, failures));
    }

    private async Task ReplaceAsync(WorkerProcess failed, int failures)
    {
        await failed.DisposeAsync().ConfigureAwait(false);
        var delay = Backoff(failures);
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _shutdown.Token).ConfigureAwait(false);
                var worker = await WorkerProcess.StartAsync(_command, _options.StartupTimeout, _logger, _shutdown.Token)
                    .ConfigureAwait(false);
                if (!Adopt(worker))
                {
                    await worker.DisposeAsync().ConfigureAwait(false);
                    return;
                }
                Interlocked.Increment(ref _restarts);
                return;
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                delay = Backoff(++failures);
                WorkerLog.RestartFailed(_logger, e, delay);
            }
        }
    }

    // The first replacement is immediate; repeated failures double the delay up to the cap, so a crash loop can't spin.
    private TimeSpan Backoff(int failures) => failures <= 1
        ? TimeSpan.Zero
        : TimeSpan.FromMilliseconds(Math.Min(_options.MaxRestartBackoff.TotalMilliseconds, 100 * Math.Pow(2, failures - 2)));

    private void Track(Task task)
    {
        lock (_backgroundGate)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }
}
