using CallWaiting.Server.Storage;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Voices;

/// <summary>Writes the engine catalog into the voices table as public voices (stable UUIDv5 ids), at every start-up.</summary>
public static class VoiceSeeder
{
    /// <summary>The public rows for a catalog; engine_voice holds the engine's own voice name.</summary>
    public static IReadOnlyList<StoredVoice> ToStored(VoiceCatalog catalog, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Voices.Select(v => new StoredVoice(
            v.Id, v.Slug, OwnerTenant: null, v.DisplayName, v.Description, v.Language,
            v.Gender.ToString().ToLowerInvariant(), v.Engine, v.EngineVoice.NativeName, SampleUrl: null,
            ParamsJson: "{}", StorageTime.Truncate(now))).ToList();
    }

    /// <summary>Upserts every catalog voice by slug.</summary>
    public static Task SeedAsync(VoiceRepository voices, VoiceCatalog catalog, TimeProvider time, CancellationToken cancellationToken) =>
        voices.UpsertPublicAsync(ToStored(catalog, time.GetUtcNow()), cancellationToken);
}
