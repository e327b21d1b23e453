using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>A real engine worker (espeak-ng phonemizes there) and the two generated Piper voices loaded from a models folder.</summary>
public sealed class PiperFixture : IAsyncLifetime
{
    public EngineWorkerPool Pool { get; private set; } = null!;

    public PiperEngine Engine { get; private set; } = null!;

    public IReadOnlyList<ModelStatus> Report { get; private set; } = [];

    public string Folder { get; } = PiperKit.ModelsFolder(PiperKit.Reveal, PiperKit.Chorus);

    public async Task InitializeAsync()
    {
        Pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 });
        var (engine, report) = await PiperKit.LoadAsync(Folder, Pool);
        Engine = engine ?? throw new InvalidOperationException("No model loaded: " + string.Join("; ", report.Select(r => r.Reason)));
        Report = report;
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Pool.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PiperCollection : ICollectionFixture<PiperFixture>
{
    public const string Name = "piper";
}
