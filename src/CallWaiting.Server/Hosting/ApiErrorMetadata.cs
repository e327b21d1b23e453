using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>Documents an endpoint's error statuses with the <see cref="ApiError"/> body in OpenAPI.</summary>
public static class ApiErrorMetadata
{
    /// <summary>Declares each status as answered with an <see cref="ApiError"/> JSON body.</summary>
    public static RouteHandlerBuilder ProducesApiErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<ApiError>(status, "application/json");
        return builder;
    }
}
