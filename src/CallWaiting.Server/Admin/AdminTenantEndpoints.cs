using CallWaiting.Server.Hosting;
using CallWaiting.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>
/// GET, POST /v1/admin/tenants and PATCH /v1/admin/tenants/{id}: the operator lists, creates, renames, re-plans,
/// suspends and re-activates tenants; a tenant's own admin sees and renames only its own. The rules live in
/// <see cref="TenantService"/>, which the CLI uses too.
/// </summary>
public static class AdminTenantEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    /// <summary>Maps the endpoints on the /v1 group.</summary>
    public static void MapAdminTenants(this RouteGroupBuilder v1)
    {
        var admin = v1.MapAdminGroup();
        admin.MapGet("/tenants", ListAsync)
            .WithName("AdminListTenants")
            .WithSummary("List tenants")
            .WithDescription("Every tenant for the operator (an admin key of the default tenant); only its own tenant for any other admin key.")
            .Produces<IReadOnlyList<Tenant>>()
            .ProducesAdminErrors();
        admin.MapPost("/tenants", CreateAsync)
            .WithName("AdminCreateTenant")
            .WithSummary("Create a tenant")
            .WithDescription("Body {name, slug, plan?}. Operator only (403 operator_only otherwise); 409 when the slug is taken.")
            .Produces<Tenant>(StatusCodes.Status201Created)
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        admin.MapPatch("/tenants/{id}", UpdateAsync)
            .WithName("AdminUpdateTenant")
            .WithSummary("Change a tenant")
            .WithDescription("Body {name?, plan?, status?: active|suspended}. Plan and status are the operator's; suspending a tenant stops all of its keys and sessions. 404 for a tenant the caller may not see.")
            .Produces<Tenant>()
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(HttpContext context, TenantService tenants)
    {
        var caller = AdminCaller.Of(context);
        var all = await tenants.ListAsync(context.RequestAborted);
        return TypedResults.Ok(all.Where(tenant => caller.MaySee(tenant.Id)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TenantService tenants, AdminAudit audit)
    {
        AdminCaller.Of(context).RequireOperator("create tenants");
        using var body = await JsonObjectBody.ReadAsync(context.Request, MaxBodyBytes, ["name", "slug", "plan"], context.RequestAborted);
        var tenant = await tenants.CreateAsync(body.String("name", required: true)!, body.String("slug", required: true)!,
            body.String("plan") ?? Tenant.DefaultPlan, context.RequestAborted);
        await audit.RecordAsync(context, "tenant.create", tenant.Id, tenant.Id, new { tenant.Name, tenant.Slug, tenant.Plan });
        return TypedResults.Created($"/v1/admin/tenants/{tenant.Id}", tenant);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string id, TenantService tenants, AdminAudit audit)
    {
        var caller = AdminCaller.Of(context);
        var tenantId = Guid.TryParse(id, out var parsed) ? parsed : throw AdminCaller.NotFound("tenant", id);
        caller.RequireTenant(tenantId);
        using var body = await JsonObjectBody.ReadAsync(context.Request, MaxBodyBytes, ["name", "plan", "status"], context.RequestAborted);
        var (name, plan, status) = (body.String("name"), body.String("plan"), body.String("status"));
        if (plan is not null || status is not null) caller.RequireOperator("change a tenant's plan or status");

        var tenant = await tenants.UpdateAsync(tenantId, name, plan, status, context.RequestAborted);
        await audit.RecordAsync(context, "tenant.update", tenant.Id, tenant.Id, new { name, plan, status });
        return TypedResults.Ok(tenant);
    }
}
