using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>Entry point of the engine worker process: loads native engines and serves the parent over stdin/stdout.</summary>
public static class EngineWorkerHost
{
    /// <summary>
    /// Runs the worker until its stdin closes. Each factory, keyed by engine name, creates one engine; an engine that
    /// fails to load is reported to the parent in Hello and the others are still served.
    /// </summary>
    /// <returns>The process exit code: 0 when the parent closed stdin, non-zero on a protocol or I/O failure.</returns>
    public static int Run(IReadOnlyDictionary<string, Func<INativeSynthesizer>> engineFactories)
    {
        ArgumentNullException.ThrowIfNull(engineFactories);
        Stream output;
        try
        {
            output = WorkerStdio.DetachProtocolOutput();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"engine worker: {e.Message}");
            return 2;
        }

        var engines = new List<INativeSynthesizer>();
        var infos = new List<WorkerEngineInfo>();
        var failures = new List<WorkerEngineFailure>();
        foreach (var (name, factory) in engineFactories) Load(name, factory, engines, infos, failures);

        try
        {
            using var input = Console.OpenStandardInput();
            using var loop = new WorkerLoop(input, output, engines);
            return loop.Run(new WorkerHello(Environment.ProcessId, infos, failures));
        }
        finally
        {
            foreach (var engine in engines) engine.Dispose();
            output.Dispose();
        }
    }

    private static void Load(string name, Func<INativeSynthesizer> factory, List<INativeSynthesizer> engines,
        List<WorkerEngineInfo> infos, List<WorkerEngineFailure> failures)
    {
        INativeSynthesizer? engine = null;
        try
        {
            engine = factory();
            if (engine.Engine != name)
                throw new InvalidOperationException($"The factory for '{name}' created the '{engine.Engine}' engine.");
            infos.Add(new WorkerEngineInfo(engine.Engine, engine.Capabilities, engine.ListVoices()));
            engines.Add(engine);
        }
        catch (Exception e)
        {
            // A missing library or voice data disables that engine only; the parent logs the reason.
            engine?.Dispose();
            failures.Add(new WorkerEngineFailure(name, $"{e.GetType().Name}: {e.Message}"));
            Console.Error.WriteLine($"engine worker: {name} failed to load: {e}");
        }
    }
}
