namespace CallWaiting.Server.Storage;

/// <summary>What one migration run did.</summary>
/// <param name="Applied">Versions applied by this run, ascending (empty when the schema was current).</param>
/// <param name="CurrentVersion">The highest version applied to the database after the run.</param>
public sealed record MigrationResult(IReadOnlyList<int> Applied, int CurrentVersion);
