using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Speech.Tests.Synthesis;

/// <summary>One real speech core (two engine worker processes) shared by the synthesis tests.</summary>
public sealed class SpeechRuntimeFixture : IAsyncLifetime
{
    public SpeechRuntime Runtime { get; private set; } = null!;

    public Synthesizer Synthesizer => Runtime.Synthesizer;

    public async Task InitializeAsync() => Runtime = await SpeechRuntime.StartAsync(new SpeechRuntimeOptions { WorkerCount = 2 });

    public async Task DisposeAsync() => await Runtime.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SpeechRuntimeCollection : ICollectionFixture<SpeechRuntimeFixture>
{
    public const string Name = "speech runtime";
}
