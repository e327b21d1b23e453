using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Engines;

/// <summary>A native engine (flite, espeak) as the API process sees it: requests run in the shared worker pool.</summary>
/// <remarks>The pool is shared by every <see cref="WorkerEngine"/> and owned by whoever started it, so disposing an engine leaves it running.</remarks>
public sealed class WorkerEngine : ISpeechEngine
{
    private readonly EngineWorkerPool _pool;

    /// <summary>Creates the adapter for <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The pool's workers do not host that engine.</exception>
    public WorkerEngine(EngineWorkerPool pool, string name)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(name);
        _pool = pool;
        Name = name;
        Capabilities = pool.GetCapabilities(name);
        Voices = [.. pool.Voices.Where(v => v.Engine == name)];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public EngineCapabilities Capabilities { get; }

    /// <inheritdoc />
    public IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>One adapter per engine the pool hosts.</summary>
    public static IReadOnlyList<WorkerEngine> ForAll(EngineWorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return [.. pool.Engines.Select(name => new WorkerEngine(pool, name))];
    }

    /// <inheritdoc />
    public IAsyncEnumerable<AudioChunk> SynthesizeAsync(EngineRequest request, CancellationToken cancellationToken) =>
        _pool.SynthesizeAsync(Name, request, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
