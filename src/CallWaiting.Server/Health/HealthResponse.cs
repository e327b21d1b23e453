namespace CallWaiting.Server.Health;

/// <summary>GET /health's body (the seed's shape).</summary>
/// <param name="Status">healthy, degraded or unhealthy.</param>
/// <param name="Timestamp">When the checks ran (UTC).</param>
/// <param name="Components">Each dependency's state.</param>
public sealed record HealthResponse(string Status, DateTimeOffset Timestamp, HealthComponents Components);

/// <summary>The state of each dependency.</summary>
/// <param name="TtsModel">Speech engines are running.</param>
/// <param name="Database">The database answers.</param>
/// <param name="Redis">Redis answers, or is not configured (then not needed).</param>
public sealed record HealthComponents(bool TtsModel, bool Database, bool Redis);

/// <summary>GET /ready's body when ready.</summary>
/// <param name="Status">"ready".</param>
public sealed record ReadyResponse(string Status);
