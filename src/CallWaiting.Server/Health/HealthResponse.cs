namespace CallWaiting.Server.Health;

/// <summary>GET /health's body (the seed's shape, plus each engine and model).</summary>
/// <param name="Status">healthy, degraded or unhealthy.</param>
/// <param name="Timestamp">When the checks ran (UTC).</param>
/// <param name="Components">Each dependency's state.</param>
/// <param name="Engines">Each speech engine; empty while the engines start.</param>
/// <param name="Models">Each model file found at start-up.</param>
public sealed record HealthResponse(string Status, DateTimeOffset Timestamp, HealthComponents Components,
    IReadOnlyList<EngineHealth> Engines, IReadOnlyList<ModelHealth> Models);

/// <summary>The state of each dependency.</summary>
/// <param name="TtsModel">Speech engines are running.</param>
/// <param name="Database">The database answers.</param>
/// <param name="Redis">Redis answers, or is not configured (then not needed).</param>
public sealed record HealthComponents(bool TtsModel, bool Database, bool Redis)
{
    /// <summary>The overall state: healthy when everything is up, degraded when the database or Redis is down but speech works, unhealthy without speech.</summary>
    public string OverallStatus() => !TtsModel ? "unhealthy" : Database && Redis ? "healthy" : "degraded";
}

/// <summary>One speech engine.</summary>
/// <param name="Name">flite, espeak, piper.</param>
/// <param name="Ready">Whether it can serve now (worker engines: live workers; neural engines: a model file still in place).</param>
/// <param name="Voices">How many voices it offers.</param>
public sealed record EngineHealth(string Name, bool Ready, int Voices);

/// <summary>One model file found at start-up.</summary>
/// <param name="File">Its path.</param>
/// <param name="Engine">The engine that runs it.</param>
/// <param name="Status">loaded, skipped, or missing (loaded, then removed: its voices answer 503).</param>
/// <param name="Reason">Why it was skipped.</param>
/// <param name="Voices">The voice ids it offers.</param>
/// <param name="Provider">The ONNX Runtime execution provider it runs on (cpu or cuda); null when it was skipped.</param>
public sealed record ModelHealth(string File, string Engine, string Status, string? Reason, IReadOnlyList<string> Voices, string? Provider);

/// <summary>GET /ready's body when ready.</summary>
/// <param name="Status">"ready".</param>
/// <param name="Engines">Each speech engine.</param>
/// <param name="Models">Each model file found at start-up (every loaded one has run its warm-up).</param>
public sealed record ReadyResponse(string Status, IReadOnlyList<EngineHealth> Engines, IReadOnlyList<ModelHealth> Models);
