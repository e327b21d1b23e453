using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>The Tts test classes share one real server, so its start-up is paid once.</summary>
[CollectionDefinition(Name)]
public sealed class TtsServerCollection : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Tts server";
}
