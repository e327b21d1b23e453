using System.Diagnostics;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>POST /v1/cache/prewarm: renders a list of prompts into the audio cache ahead of time (phone menus, greetings).</summary>
public static class CacheEndpoints
{
    /// <summary>Largest prewarm body: room for the maximum number of prompts at the maximum text length.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    // What a prewarm body is, for the errors that ask for one.
    private const string Expected = "a JSON object with a 'prompts' array of /v1/tts bodies";

    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapCache(this RouteGroupBuilder v1)
    {
        v1.MapPost("/cache/prewarm", PrewarmAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("PrewarmCache")
            .WithSummary("Render prompts into the audio cache ahead of time")
            .WithDescription("""
                Body: {"prompts": [ /v1/tts bodies ]}, at most 100 (Cache:MaxPrewarmPrompts). Prompts are rendered one after
                another into every cache tier; a later /v1/tts with the same body from the same tenant is
                a hit. Each prompt gets a status: rendered, cached, not_cacheable or failed (with code and detail); one bad
                prompt does not stop the others. Billing: a rendered prompt is metered as one synthesis (its characters
                and audio seconds); cached and failed prompts cost nothing; the call counts once against rate limits.
                Needs the tts:write scope.
                """)
            .Accepts<PrewarmRequest>("application/json")
            .Produces<PrewarmResponse>()
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PrewarmAsync(HttpContext context, TtsService tts, IOptions<ApiOptions> api,
        IOptions<AudioCacheOptions> cacheOptions)
    {
        var ct = context.RequestAborted;
        var key = ApiCaller.Of(context).Key;
        var max = cacheOptions.Value.MaxPrewarmPrompts;
        JsonDocument document;
        try
        {
            document = await TtsRequestParser.ReadDocumentAsync(context.Request, MaxBodyBytes, Expected, ct);
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("prompts", out var prompts) || prompts.ValueKind != JsonValueKind.Array)
                return Invalid(context, $"The body must be {Expected}.");
            var count = prompts.GetArrayLength();
            if (count is 0 || count > max)
                return Invalid(context, $"'prompts' must hold 1 to {max} prompts; it holds {count}.");

            var results = new List<PrewarmResult>(count);
            var index = 0;
            foreach (var prompt in prompts.EnumerateArray())
                results.Add(await PrewarmOneAsync(context, tts, key, prompt, index++, api.Value.MaxTextLength, ct));

            return TypedResults.Json(new PrewarmResponse(results,
                results.Count(r => r.Status == "rendered"), results.Count(r => r.Status == "cached"),
                results.Count(r => r.Status is "failed" or "not_cacheable")), CacheJson.Default.PrewarmResponse);
        }
    }

    private static async Task<PrewarmResult> PrewarmOneAsync(HttpContext context, TtsService tts, ApiKey key,
        JsonElement prompt, int index, int maxTextLength, CancellationToken ct)
    {
        try
        {
            var request = TtsRequestParser.ValidateElement(prompt, maxTextLength);
            var job = await tts.CreateJobAsync(request, key, ct);
            if (job.CacheKey is null)
                return new PrewarmResult(index, "not_cacheable", Code: "not_cacheable", Detail: "The cache is off, or this voice's engine is not cached.");

            // The rendering stores itself in every tier once complete; a hit, or a rendering that was already running for
            // another request (awaited the same way), costs this call nothing.
            var caller = new TtsCaller(key, context, Stopwatch.GetTimestamp(), TtsMetering.SynthesizedOnly);
            var (rendered, _, origin, _) = await tts.OpenFileAsync(job, caller, ct, waitForStore: true);
            await using var file = rendered;
            return new PrewarmResult(index, origin == AudioOrigin.Miss ? "rendered" : "cached", file.Length, file.Seconds);
        }
        catch (TtsRequestException e)
        {
            return new PrewarmResult(index, "failed", Code: e.Code, Detail: e.Message);
        }
    }

    private static IResult Invalid(HttpContext context, string detail) =>
        TtsHttp.Error(context, new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_request", detail));
}
