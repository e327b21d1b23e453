using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>Holds the speech runtime once start-up has warmed it; requests before that find it null (503, /ready false).</summary>
public sealed class SpeechHost : IAsyncDisposable
{
    private SpeechRuntime? _runtime;

    /// <summary>The runtime, or null while it is starting or after it stopped.</summary>
    public SpeechRuntime? Runtime => Volatile.Read(ref _runtime);

    /// <summary>Publishes the started runtime.</summary>
    public void Set(SpeechRuntime runtime) => Volatile.Write(ref _runtime, runtime);

    /// <summary>Stops the worker processes.</summary>
    public async ValueTask DisposeAsync()
    {
        var runtime = Interlocked.Exchange(ref _runtime, null);
        if (runtime is not null) await runtime.DisposeAsync().ConfigureAwait(false);
    }
}
