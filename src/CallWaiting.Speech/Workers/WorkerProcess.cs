using System.Diagnostics;
using CallWaiting.Speech.Engines;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// The parent's handle on one engine worker process: starts it, checks its Hello, sends frames to its stdin,
/// reads frames from its stdout, forwards its stderr to the log, and kills it.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    // Never disposed: it has no wait handle to free, and a late Cancel may still try to take it after disposal.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // Orders "is it disposed?" against starting I/O, so disposal knows every read and write it must wait for.
    private readonly Lock _ioGate = new();
    private readonly ILogger _logger;
    private Task _lastRead = Task.CompletedTask;
    private Task _lastWrite = Task.CompletedTask;
    private bool _disposed;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
        Id = process.Id;
        _stdin = process.StandardInput.BaseStream;
        _reader = new FrameReader(process.StandardOutput.BaseStream);
        _writer = new FrameWriter(_stdin);
    }

    /// <summary>The worker's process id.</summary>
    public int Id { get; }

    /// <summary>What the worker announced at start.</summary>
    public WorkerHello Hello { get; private set; } = null!;

    /// <summary>Raised (on a pool thread) when the process exits for any reason.</summary>
    public event Action<WorkerProcess>? Exited;

    public bool HasExited
    {
        get
        {
            lock (_ioGate) return _disposed || _process.HasExited;
        }
    }

    /// <summary>Starts a worker and waits for its Hello.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerCommand command, TimeSpan startupTimeout, ILogger logger,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments) info.ArgumentList.Add(argument);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            process.Dispose();
            throw new EngineException(EngineErrorKind.EngineFailure, $"Could not start the engine worker '{command.FileName}': {e.Message}", e);
        }

        var worker = new WorkerProcess(process, logger);
        process.Exited += (_, _) => worker.Exited?.Invoke(worker);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line) WorkerLog.WorkerStderr(logger, worker.Id, line);
        };
        process.BeginErrorReadLine();
        try
        {
            await worker.HandshakeAsync(startupTimeout, cancellationToken).ConfigureAwait(false);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads the next frame. Never cancelled mid-frame (that would desynchronize the stream): callers stop waiting
    /// with Task.WaitAsync and either await the same task later or kill the worker.
    /// </summary>
    /// <exception cref="WorkerFailedException">The worker exited, closed stdout or sent a corrupt frame (it is then killed).</exception>
    public Task<WorkerFrame> ReadFrameAsync()
    {
        lock (_ioGate)
        {
            if (_disposed) return Task.FromException<WorkerFrame>(Stopped());
            var read = ReadFrameCoreAsync();
            _lastRead = read;
            return read;
        }
    }

    public ValueTask SendSynthesizeAsync(uint requestId, string engine, EngineRequest request, TimeSpan timeout) =>
        SendAsync(w => WorkerMessages.WriteSynthesize(w, requestId, engine, request), timeout);

    public ValueTask SendPhonemizeAsync(uint requestId, string voice, string text, TimeSpan timeout) =>
        SendAsync(w => WorkerMessages.WritePhonemize(w, requestId, voice, text), timeout);

    public ValueTask SendCancelAsync(uint requestId, TimeSpan timeout) =>
        SendAsync(w => WorkerMessages.WriteCancel(w, requestId), timeout);

    /// <summary>Kills the worker (and anything it started) without waiting.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            WorkerLog.KillFailed(_logger, Id, e.Message);
        }
    }

    /// <summary>Kills the worker, waits for it to be reaped and releases its pipes and buffers.</summary>
    public async ValueTask DisposeAsync()
    {
        Task pendingIo;
        lock (_ioGate)
        {
            if (_disposed) return;
            _disposed = true;
            pendingIo = Task.WhenAll(_lastRead, _lastWrite);
        }
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
            // The dead process's pipes are closed, so outstanding I/O ends now; only then may its buffers go back to the pool.
            await pendingIo.ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(ExitWait).ConfigureAwait(false);
            _reader.Dispose();
            _writer.Dispose();
        }
        catch (TimeoutException)
        {
            WorkerLog.KillFailed(_logger, Id, "it did not exit after SIGKILL");
        }
        try
        {
            _stdin.Dispose();
        }
        catch (IOException)
        {
            // The pipe is broken because the worker is gone; nothing left to flush.
        }
        _process.Dispose();
    }

    /// <summary>Describes how the process ended, for logs.</summary>
    public string DescribeExit()
    {
        lock (_ioGate)
        {
            if (_disposed) return "stopped by the pool";
            if (!_process.HasExited) return "still running";
            var code = _process.ExitCode;
            return code > 128 ? $"killed by signal {code - 128}" : $"exit code {code}";
        }
    }

    private async Task HandshakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        WorkerFrame frame;
        try
        {
            frame = await ReadFrameAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, $"The engine worker did not start within {timeout.TotalSeconds:0.#} s.");
        }
        catch (WorkerFailedException e)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, $"The engine worker failed to start: {e.Message}", e);
        }
        if (frame.Type != WorkerFrameType.Hello)
            throw new EngineException(EngineErrorKind.EngineFailure, $"The engine worker sent {frame.Type} instead of Hello.");
        try
        {
            Hello = WorkerMessages.ReadHello(frame.Payload.Span);
        }
        catch (WorkerProtocolException e)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, $"The engine worker sent a bad Hello: {e.Message}", e);
        }
    }

    private WorkerFailedException Stopped() => new($"The engine worker (pid {Id}) has been stopped.");

    private async Task<WorkerFrame> ReadFrameCoreAsync()
    {
        try
        {
            return await _reader.ReadAsync().ConfigureAwait(false)
                ?? throw new WorkerFailedException($"The engine worker (pid {Id}) closed its output.");
        }
        catch (WorkerProtocolException e)
        {
            Kill();
            throw new WorkerFailedException($"The engine worker (pid {Id}) sent a corrupt frame: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new WorkerFailedException($"Reading from the engine worker (pid {Id}) failed: {e.Message}", e);
        }
    }

    private async ValueTask SendAsync(Action<FrameWriter> build, TimeSpan timeout)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (HasExited) throw Stopped();
            build(_writer);
        }
        catch (WorkerFailedException)
        {
            _writeLock.Release();
            throw;
        }
        catch (WorkerProtocolException e)
        {
            _writeLock.Release();
            throw new EngineException(EngineErrorKind.InvalidRequest, $"The request is too large: {e.Message}", e);
        }
        try
        {
            Task send;
            lock (_ioGate)
            {
                if (_disposed) throw Stopped();
                send = _writer.SendAsync().AsTask();
                _lastWrite = send;
            }
            // A stopped worker with a full stdin pipe would block this write forever.
            await send.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            Kill();
            throw new WorkerFailedException($"The engine worker (pid {Id}) stopped reading its input.", e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new WorkerFailedException($"Writing to the engine worker (pid {Id}) failed: {e.Message}", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
