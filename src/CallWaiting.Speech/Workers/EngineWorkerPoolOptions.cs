namespace CallWaiting.Speech.Workers;

/// <summary>Settings of an <see cref="EngineWorkerPool"/>.</summary>
public sealed class EngineWorkerPoolOptions
{
    private const string WorkerName = "CallWaiting.EngineWorker";
    private int? _queueCapacity;

    /// <summary>Worker processes to keep running (default: one per core).</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a busy pool before new ones fail with Overloaded (default: 4 × <see cref="WorkerCount"/>).</summary>
    public int QueueCapacity
    {
        get => _queueCapacity ?? 4 * WorkerCount;
        set => _queueCapacity = value;
    }

    /// <summary>Longest time a worker may go without sending anything while the parent waits on it before it is declared hung.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest time one request may hold a worker, including time the consumer takes to read the audio.</summary>
    public TimeSpan MaxRequestDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest time a starting worker may take to load its engines and say Hello.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cancelled request's worker has to acknowledge before it is killed and replaced.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of the delay between restarts when workers keep failing.</summary>
    public TimeSpan MaxRestartBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The worker executable, or its .dll (run with <c>dotnet</c>). Default: the CallWaiting.EngineWorker apphost next
    /// to the application, else its .dll there.
    /// </summary>
    public string? WorkerPath { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCount, 1, nameof(WorkerCount));
        ArgumentOutOfRangeException.ThrowIfNegative(QueueCapacity, nameof(QueueCapacity));
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(MaxRequestDuration, nameof(MaxRequestDuration));
        RequirePositive(StartupTimeout, nameof(StartupTimeout));
        RequirePositive(CancelGracePeriod, nameof(CancelGracePeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRestartBackoff, TimeSpan.Zero, nameof(MaxRestartBackoff));
    }

    internal WorkerCommand ResolveWorkerCommand()
    {
        var path = WorkerPath;
        if (string.IsNullOrEmpty(path))
        {
            var apphost = Path.Combine(AppContext.BaseDirectory, WorkerName);
            path = File.Exists(apphost) ? apphost : Path.Combine(AppContext.BaseDirectory, WorkerName + ".dll");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"The engine worker '{path}' does not exist.", path);
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new WorkerCommand("dotnet", [path])
            : new WorkerCommand(path, []);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }
}

/// <summary>How to start a worker process.</summary>
/// <param name="FileName">The program to run.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments);
