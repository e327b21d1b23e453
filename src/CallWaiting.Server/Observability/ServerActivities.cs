using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CallWaiting.Server.Observability;

/// <summary>
/// The API's trace spans (<see cref="ActivitySource"/> "CallWaiting.Server"): auth and its steps, the cache lookup,
/// and the request id and tenant on ASP.NET Core's server span. Spans exist only while a tracer listens
/// (<see cref="TelemetryServiceCollectionExtensions"/>); the text and the key are never recorded.
/// </summary>
public static class ServerActivities
{
    /// <summary>The source name a tracer subscribes to.</summary>
    public const string SourceName = "CallWaiting.Server";

    /// <summary>Attribute: the request id (X-Request-ID).</summary>
    public const string RequestId = "callwaiting.request_id";

    /// <summary>Attribute: the caller's tenant id.</summary>
    public const string TenantId = "callwaiting.tenant_id";

    /// <summary>Attribute: how the key was verified (memory: the verification cache, scrypt).</summary>
    public const string Verification = "callwaiting.auth.verification";

    /// <summary>Attribute: the error code of a refused request (invalid_api_key, rate_limited, …).</summary>
    public const string Refusal = "callwaiting.auth.refusal";

    /// <summary>Attribute: the cache lookup's outcome (hit, miss, joined, bypass).</summary>
    public const string CacheOutcome = "callwaiting.cache.outcome";

    /// <summary>Attribute: the cache tier that answered a hit (memory, redis, disk).</summary>
    public const string CacheTier = "callwaiting.cache.tier";

    private static readonly ActivitySource Source = new(SourceName, typeof(ServerActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a span named <paramref name="name"/> for <paramref name="context"/>'s request (its id as an attribute), or null when nobody listens.</summary>
    public static Activity? Start(string name, HttpContext? context)
    {
        var activity = Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true } && context is not null) activity.SetTag(RequestId, context.TraceIdentifier);
        return activity;
    }

    /// <summary>Puts the request id on ASP.NET Core's span of <paramref name="context"/>, when traced.</summary>
    public static void TagRequest(HttpContext context)
    {
        if (ServerSpan(context) is { } span) span.SetTag(RequestId, context.TraceIdentifier);
    }

    /// <summary>Puts <paramref name="key"/>'s tenant on <paramref name="activity"/> and on the request's server span, when traced.</summary>
    public static void TagTenant(Activity? activity, HttpContext context, ApiKey key)
    {
        if (activity is not { IsAllDataRequested: true }) return;
        activity.SetTag(TenantId, key.TenantId);
        ServerSpan(context)?.SetTag(TenantId, key.TenantId);
    }

    /// <summary>Notes on the current span that the request was refused with <paramref name="code"/>.</summary>
    public static void Refused(string code)
    {
        if (Activity.Current is not { IsAllDataRequested: true } current || current.Source != Source) return;
        current.SetTag(Refusal, code);
        current.SetStatus(ActivityStatusCode.Error, code);
    }

    // ASP.NET Core creates an unsampled activity for log correlation even without a tracer; only a listened-to one is tagged.
    private static Activity? ServerSpan(HttpContext context) =>
        Source.HasListeners() && context.Features.Get<IHttpActivityFeature>()?.Activity is { Recorded: true } span ? span : null;
}
