using CallWaiting.Server.Redis;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using CallWaiting.Speech.Engines;
using Dapper;

namespace CallWaiting.Server.Health;

/// <summary>Checks the server's dependencies quickly (each with a short timeout) for /health and /ready.</summary>
public sealed class HealthProbe(SpeechHost speech, IDbConnectionFactory db, RedisConnection? redis = null)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Runs every check concurrently.</summary>
    public async Task<HealthComponents> CheckAsync(CancellationToken cancellationToken)
    {
        var database = DatabaseAsync(cancellationToken);
        var redisUp = RedisAsync();
        var engines = speech.Runtime is { } runtime && runtime.Pool.WorkerProcessIds.Length > 0;
        return new HealthComponents(engines, await database, await redisUp);
    }

    /// <summary>Each engine of the running speech core; none while it starts.</summary>
    public IReadOnlyList<EngineHealth> Engines()
    {
        if (speech.Runtime is not { } runtime) return [];
        var workersUp = runtime.Pool.WorkerProcessIds.Length > 0;
        return [.. runtime.Synthesizer.Engines.Select(e => new EngineHealth(e.Name,
            e is WorkerEngine ? workersUp : runtime.Models.Any(m => m.Engine == e.Name && m.Loaded && File.Exists(m.File)), e.Voices.Count))];
    }

    /// <summary>Each model file the speech core found at start-up.</summary>
    public IReadOnlyList<ModelHealth> Models() => speech.Runtime is { } runtime
        ? [.. runtime.Models.Select(m => new ModelHealth(m.File, m.Engine, !m.Loaded ? "skipped" : File.Exists(m.File) ? "loaded" : "missing", m.Reason, m.Voices,
            m.Loaded ? runtime.OnnxProvider : null))]
        : [];

    private async Task<bool> DatabaseAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await using var connection = await db.OpenConnectionAsync(timeout.Token);
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: timeout.Token)) == 1;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> RedisAsync()
    {
        if (redis is null) return true;
        if (!redis.IsConnected) return false;
        try
        {
            await redis.Database.PingAsync().WaitAsync(CheckTimeout);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
