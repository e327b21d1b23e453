using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Voices;

/// <summary>GET /v1/voices and GET /v1/voices/{voice_id}: public voices plus the caller's tenant's private ones.</summary>
public static class VoiceEndpoints
{
    /// <summary>Maps the endpoints on the /v1 group.</summary>
    public static void MapVoices(this RouteGroupBuilder v1)
    {
        v1.MapGet("/voices", ListAsync)
            .RequireScope(Scopes.VoicesRead)
            .WithName("ListVoices")
            .WithSummary("List voices")
            .WithDescription("Public voices plus the caller's tenant's private voices, by slug. Needs voices:read.")
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        v1.MapGet("/voices/{voice_id}", GetAsync)
            .RequireScope(Scopes.VoicesRead)
            .WithName("GetVoice")
            .WithSummary("Get one voice")
            .WithDescription("By UUID or slug; 404 when the voice does not exist or belongs to another tenant. Needs voices:read.")
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Results<Ok<IEnumerable<VoiceResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, VoiceRepository voices)
    {
        try
        {
            var list = await voices.ListVisibleAsync(ApiCaller.Of(context).Key.TenantId, context.RequestAborted);
            return TypedResults.Ok(list.Select(VoiceResponse.From));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return DatabaseUnavailable(context);
        }
    }

    private static async Task<Results<Ok<VoiceResponse>, ProblemHttpResult>> GetAsync(
        HttpContext context, VoiceRepository voices, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "voice_id")] string voiceId)
    {
        try
        {
            var voice = VoiceIdentifier.IsPlausible(voiceId)
                ? await voices.GetVisibleAsync(voiceId, ApiCaller.Of(context).Key.TenantId, context.RequestAborted)
                : null;
            return voice is null
                ? ApiResults.Error(context, StatusCodes.Status404NotFound, "voice_not_found", $"Voice '{voiceId}' was not found.")
                : TypedResults.Ok(VoiceResponse.From(voice));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return DatabaseUnavailable(context);
        }
    }

    private static ProblemHttpResult DatabaseUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "The voice list is unavailable right now; retry shortly.");
    }
}
