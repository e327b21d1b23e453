using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>
/// The admin API's keys: list, create (the secret shown once), change settings, and revoke, suspend, activate or rotate.
/// Every rule (names, scopes, limits, origins, expiry, revocation is final) lives in <see cref="KeyService"/>, which the
/// CLI uses too; a change reaches every replica through the key-change feed. Another tenant's keys are 404.
/// </summary>
public static class AdminKeyEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    private static readonly string[] CreateFields = ["tenant_id", "name", "scopes", "rate_limit_per_min", "rate_limit_per_day", "allowed_origins", "expires_at"];
    private static readonly string[] UpdateFields = ["name", "scopes", "rate_limit_per_min", "rate_limit_per_day", "allowed_origins", "expires_at"];

    /// <summary>Maps the endpoints on the /v1 group.</summary>
    public static void MapAdminKeys(this RouteGroupBuilder v1)
    {
        var admin = v1.MapAdminGroup();
        admin.MapGet("/keys", ListAsync)
            .WithName("AdminListKeys")
            .WithSummary("List API keys")
            .WithDescription("The keys of tenant_id (every tenant's when the operator names none; the caller's own tenant's otherwise); never their secrets.")
            .Produces<IReadOnlyList<AdminKeyResponse>>()
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        admin.MapPost("/keys", CreateAsync)
            .WithName("AdminCreateKey")
            .WithSummary("Create an API key")
            .WithDescription("Body {tenant_id?, name, scopes?, rate_limit_per_min?, rate_limit_per_day?, allowed_origins?, expires_at?}. The answer's key is the secret: shown once, never stored.")
            .Produces<AdminKeyResponse>(StatusCodes.Status201Created)
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        admin.MapPatch("/keys/{id}", UpdateAsync)
            .WithName("AdminUpdateKey")
            .WithSummary("Change an API key's settings")
            .WithDescription("Body {name?, scopes?, rate_limit_per_min?, rate_limit_per_day?, allowed_origins?, expires_at? (null: never)}; 409 for a revoked key.")
            .Produces<AdminKeyResponse>()
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/keys/{id}/{action}", ActAsync)
            .WithName("AdminKeyAction")
            .WithSummary("Revoke, suspend, activate or rotate an API key")
            .WithDescription("action is revoke (final), suspend, activate or rotate (a new key with the same settings, its secret shown once; the old one revoked).")
            .Produces<AdminKeyResponse>()
            .ProducesAdminErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, ApiKeyRepository keys, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "tenant_id")] string? tenantId)
    {
        var scope = AdminCaller.Of(context).ListingScope(AdminCaller.ParseTenantId(tenantId));
        var list = await keys.ListAsync(scope, context.RequestAborted);
        return TypedResults.Ok(list.Select(AdminKeyResponse.From).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, KeyService keys, TenantRepository tenants, AdminAudit audit)
    {
        var caller = AdminCaller.Of(context);
        using var body = await JsonObjectBody.ReadAsync(context.Request, MaxBodyBytes, CreateFields, context.RequestAborted);
        var tenantId = body.Id("tenant_id") ?? caller.Key.TenantId;
        caller.RequireTenant(tenantId);
        var tenant = await tenants.GetByIdAsync(tenantId, context.RequestAborted) ?? throw AdminCaller.TenantNotFound(tenantId);
        var request = new CreateKeysRequest
        {
            Name = body.String("name", required: true)!,
            TenantSlug = tenant.Slug,
            Scopes = body.Strings("scopes") is { } scopes ? string.Join(',', scopes) : Scopes.DefaultForNewKeys,
            RateLimitPerMin = body.Int("rate_limit_per_min") ?? ApiKey.DefaultRateLimitPerMin,
            RateLimitPerDay = body.Int("rate_limit_per_day") ?? ApiKey.DefaultRateLimitPerDay,
            AllowedOrigins = body.Strings("allowed_origins") ?? [],
            ExpiresAt = body.Instant("expires_at"),
        };

        var issued = (await keys.CreateKeysAsync(request, context.RequestAborted))[0];
        await audit.RecordAsync(context, "key.create", tenant.Id, issued.Id, Settings(issued.Credential.Key));
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/admin/keys/{issued.Id}", AdminKeyResponse.Issued(issued));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string id, KeyService keys, AdminAudit audit)
    {
        var key = await VisibleKeyAsync(context, keys, id);
        using var body = await JsonObjectBody.ReadAsync(context.Request, MaxBodyBytes, UpdateFields, context.RequestAborted);
        var update = new KeyUpdate
        {
            Name = body.String("name"),
            Scopes = body.Strings("scopes") is { } scopes ? string.Join(',', scopes) : null,
            RateLimitPerMin = body.Int("rate_limit_per_min"),
            RateLimitPerDay = body.Int("rate_limit_per_day"),
            AllowedOrigins = body.Strings("allowed_origins"),
            SetsExpiry = body.Has("expires_at"),
            ExpiresAt = body.Instant("expires_at"),
        };

        var updated = await keys.UpdateAsync(key.Id, update, context.RequestAborted);
        await audit.RecordAsync(context, "key.update", updated.TenantId, updated.Id, Settings(updated));
        return TypedResults.Ok(AdminKeyResponse.From(updated));
    }

    private static async Task<IResult> ActAsync(HttpContext context, string id, string action, KeyService keys, AdminAudit audit)
    {
        if (action is not ("revoke" or "suspend" or "activate" or "rotate"))
            throw new ApiRequestException(StatusCodes.Status404NotFound, "not_found", $"Unknown action '{action}': use revoke, suspend, activate or rotate.");
        var key = await VisibleKeyAsync(context, keys, id);
        var ct = context.RequestAborted;
        if (action == "rotate")
        {
            var issued = await keys.RotateAsync(key.Id, ct);
            await audit.RecordAsync(context, "key.rotate", key.TenantId, key.Id, new { replaced_by = issued.Id, key_prefix = issued.Prefix });
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(AdminKeyResponse.Issued(issued));
        }

        var changed = action switch
        {
            "revoke" => await keys.RevokeAsync(key.Id, ct),
            "suspend" => await keys.SuspendAsync(key.Id, ct),
            _ => await keys.ActivateAsync(key.Id, ct),
        };
        await audit.RecordAsync(context, "key." + action, key.TenantId, key.Id, new { status = changed.Status.ToText() });
        return TypedResults.Ok(AdminKeyResponse.From(changed));
    }

    // A key of a tenant the caller may not see is as unknown as one that does not exist.
    private static async Task<ApiKey> VisibleKeyAsync(HttpContext context, KeyService keys, string id)
    {
        var key = Guid.TryParse(id, out var keyId) ? await keys.FindAsync(keyId, context.RequestAborted) : null;
        return key is not null && AdminCaller.Of(context).MaySee(key.TenantId) ? key : throw AdminCaller.NotFound("key", id);
    }

    private static object Settings(ApiKey key) => new
    {
        key.Name,
        key.KeyPrefix,
        Scopes = Scopes.All.Where(key.Scopes.Contains).ToList(),
        key.RateLimitPerMin,
        key.RateLimitPerDay,
        key.AllowedOrigins,
        key.ExpiresAt,
    };
}
