using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>A real engine worker (espeak-ng phonemizes there) and the v0.19 graph with the generated voices.npz, loaded from a models folder.</summary>
public sealed class KokoroFixture : IAsyncLifetime
{
    private readonly (string Models, string Folder) _folders = KokoroKit.ModelsFolder();

    public EngineWorkerPool Pool { get; private set; } = null!;

    public KokoroEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 });
        var (engine, report) = await KokoroKit.LoadAsync(_folders.Models, Pool);
        Engine = engine ?? throw new InvalidOperationException("No model loaded: " + string.Join("; ", report.Select(r => r.Reason)));
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Pool.DisposeAsync();
        Directory.Delete(_folders.Models, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class KokoroCollection : ICollectionFixture<KokoroFixture>
{
    public const string Name = "kokoro";
}
