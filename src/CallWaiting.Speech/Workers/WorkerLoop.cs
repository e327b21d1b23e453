using System.Collections.Concurrent;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// The worker side of the protocol: a reader thread takes frames from the parent (queuing Synthesize, acting on
/// Cancel at once) while the calling thread runs one synthesis at a time and writes its frames.
/// </summary>
internal sealed class WorkerLoop : IDisposable
{
    // How long a native call may ignore cancellation after the parent is gone before the process just exits.
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    private readonly AudioBatcher _batcher = new();
    private readonly Dictionary<string, INativeSynthesizer> _engines;
    private readonly INativePhonemizer? _phonemizer;
    private readonly BlockingCollection<IWorkerCommand> _queue = new();
    private readonly ManualResetEventSlim _served = new();
    private readonly Lock _gate = new();
    private readonly Thread _readerThread;
    private CancellationTokenSource? _current;
    private uint _currentId;
    private uint? _earlyCancel;
    private volatile bool _inputClosed;
    private int _exitCode;

    public WorkerLoop(Stream input, Stream output, IEnumerable<INativeSynthesizer> engines)
    {
        _reader = new FrameReader(input);
        _writer = new FrameWriter(output);
        _engines = engines.ToDictionary(e => e.Engine, StringComparer.Ordinal);
        _phonemizer = _engines.Values.OfType<INativePhonemizer>().FirstOrDefault();
        _readerThread = new Thread(ReadLoop) { IsBackground = true, Name = "worker protocol reader" };
    }

    /// <summary>Says Hello, then serves requests until stdin closes; returns the exit code.</summary>
    public int Run(WorkerHello hello)
    {
        try
        {
            WorkerMessages.WriteHello(_writer, hello);
            _writer.Send();
            _readerThread.Start();
            foreach (var message in _queue.GetConsumingEnumerable())
            {
                if (_inputClosed) break;
                Serve(message);
            }
            return _exitCode;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"engine worker: the protocol output failed: {e.Message}");
            return 1;
        }
        finally
        {
            _served.Set();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        // After an output failure the reader thread may still be blocked on stdin; the exiting process reclaims it.
        if (!_readerThread.IsAlive)
        {
            _reader.Dispose();
            _queue.Dispose();
        }
    }

    private void ReadLoop()
    {
        try
        {
            while (_reader.TryRead(out var frame))
            {
                switch (frame.Type)
                {
                    case WorkerFrameType.Synthesize:
                        _queue.Add(WorkerMessages.ReadSynthesize(frame.Payload.Span));
                        break;
                    case WorkerFrameType.Phonemize:
                        _queue.Add(WorkerMessages.ReadPhonemize(frame.Payload.Span));
                        break;
                    case WorkerFrameType.Cancel:
                        Cancel(WorkerMessages.ReadRequestId(frame.Payload.Span));
                        break;
                    default:
                        throw new WorkerProtocolException($"A worker does not accept {frame.Type} frames.");
                }
            }
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"engine worker: bad input from the parent, exiting: {e.Message}");
            _exitCode = 2;
        }

        // The parent is gone (or broken): stop the running synthesis and let Run return.
        _inputClosed = true;
        lock (_gate) _current?.Cancel();
        _queue.CompleteAdding();
        if (!_served.Wait(ExitGrace)) Environment.Exit(_exitCode);
    }

    private void Cancel(uint requestId)
    {
        lock (_gate)
        {
            if (_current is not null && _currentId == requestId) _current.Cancel();
            else _earlyCancel = requestId; // Cancel overtook its request in the queue.
        }
    }

    private void Serve(IWorkerCommand command)
    {
        if (command is PhonemizeMessage phonemize)
        {
            // Phonemizing a chunk takes milliseconds: it runs to its end, and a Cancel for it finds nothing to stop.
            Phonemize(phonemize);
            _writer.Send();
            return;
        }
        var message = (SynthesizeMessage)command;
        var cts = new CancellationTokenSource();
        lock (_gate)
        {
            _current = cts;
            _currentId = message.RequestId;
            if (_earlyCancel == message.RequestId) cts.Cancel();
            _earlyCancel = null;
        }
        try
        {
            Synthesize(message, cts.Token);
        }
        finally
        {
            lock (_gate) _current = null;
            cts.Dispose();
        }
        _writer.Send();
    }

    /// <summary>Runs one request and leaves its closing Done or Error frame built in the writer.</summary>
    private void Synthesize(SynthesizeMessage message, CancellationToken token)
    {
        var id = message.RequestId;
        if (!_engines.TryGetValue(message.Engine, out var engine))
        {
            WorkerMessages.WriteError(_writer, id, EngineErrorKind.InvalidRequest, $"The worker has no engine '{message.Engine}'.");
            return;
        }

        // The sink may be called from a native callback, where an exception must not unwind: record and stop instead.
        IOException? writeFailure = null;
        var send = (ReadOnlySpan<short> samples, int sampleRate, IReadOnlyList<WordBoundary> words) => SendAudio(id, samples, sampleRate, words);
        _batcher.Reset();
        bool Sink(ReadOnlySpan<short> samples, int sampleRate, IReadOnlyList<WordBoundary> words)
        {
            if (token.IsCancellationRequested || writeFailure is not null) return false;
            try
            {
                _batcher.Add(samples, sampleRate, words, send);
            }
            catch (IOException e)
            {
                writeFailure = e;
                return false;
            }
            return !token.IsCancellationRequested;
        }

        try
        {
            engine.Synthesize(message.Request, Sink, token);
            if (writeFailure is not null) throw writeFailure;
            if (!token.IsCancellationRequested) _batcher.Flush(send);
            WorkerMessages.WriteDone(_writer, id);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            WorkerMessages.WriteDone(_writer, id);
        }
        catch (EngineException e)
        {
            WorkerMessages.WriteError(_writer, id, e.Kind, e.Message);
        }
        catch (ArgumentException e)
        {
            WorkerMessages.WriteError(_writer, id, EngineErrorKind.InvalidRequest, e.Message);
        }
        catch (Exception e) when (e != writeFailure)
        {
            Console.Error.WriteLine($"engine worker: {message.Engine} failed: {e}");
            WorkerMessages.WriteError(_writer, id, EngineErrorKind.EngineFailure, $"The {message.Engine} engine failed: {e.Message}");
        }
    }

    /// <summary>Runs one Phonemize request and leaves its Phonemes or Error frame built in the writer.</summary>
    private void Phonemize(PhonemizeMessage message)
    {
        if (_phonemizer is null)
        {
            WorkerMessages.WriteError(_writer, message.RequestId, EngineErrorKind.Unavailable, "The worker has no phonemizer (espeak-ng did not load).");
            return;
        }
        try
        {
            WorkerMessages.WritePhonemes(_writer, message.RequestId, _phonemizer.Phonemize(message.Voice, message.Text));
        }
        catch (EngineException e)
        {
            WorkerMessages.WriteError(_writer, message.RequestId, e.Kind, e.Message);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"engine worker: phonemizing failed: {e}");
            WorkerMessages.WriteError(_writer, message.RequestId, EngineErrorKind.EngineFailure, $"Phonemizing failed: {e.Message}");
        }
    }

    private void SendAudio(uint id, ReadOnlySpan<short> samples, int sampleRate, IReadOnlyList<WordBoundary> words)
    {
        if (samples.IsEmpty && words.Count == 0) return;
        var start = 0;
        do
        {
            var count = Math.Min(WorkerProtocol.MaxSamplesPerFrame, samples.Length - start);
            var last = start + count >= samples.Length;
            WorkerMessages.WriteAudio(_writer, id, sampleRate, samples.Slice(start, count), words, start, last);
            _writer.Send();
            start += count;
        } while (start < samples.Length);
    }
}
