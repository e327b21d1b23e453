using System.CommandLine;
using System.Text.Json;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting tenants create --name NAME --slug SLUG [--plan free]`, `tenants list [--json]` and `tenants suspend|activate SLUG`.</summary>
internal static class TenantsCommand
{
    public static Command Create() => new("tenants", "Manage tenants.") { CreateTenant(), ListTenants(), ChangeStatus("suspend"), ChangeStatus("activate") };

    private static Command CreateTenant()
    {
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var slug = new Option<string>("--slug") { Description = "Unique handle: lower-case letters, digits, inner hyphens.", Required = true };
        var plan = new Option<string>("--plan") { Description = "Plan name.", DefaultValueFactory = _ => Tenant.DefaultPlan };
        var create = new Command("create", "Create a tenant.") { name, slug, plan };
        create.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            await using var services = await CliStorage.OpenAsync(ct);
            var tenant = await services.GetRequiredService<TenantService>().CreateAsync(parse.GetValue(name)!, parse.GetValue(slug)!, parse.GetValue(plan)!, ct);
            Console.Out.WriteLine($"Created tenant {tenant.Slug} ({tenant.Id}), plan {tenant.Plan}.");
            return 0;
        }));
        return create;
    }

    private static Command ListTenants()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line." };
        var list = new Command("list", "List tenants.") { json };
        list.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            await using var services = await CliStorage.OpenAsync(ct);
            var tenants = await services.GetRequiredService<TenantService>().ListAsync(ct);
            if (parse.GetValue(json))
            {
                foreach (var t in tenants)
                    Console.Out.WriteLine(JsonSerializer.Serialize(new TenantRow(t.Id, t.Slug, t.Name, t.Plan, t.Status, t.CreatedAt), CliLineJson.Default.TenantRow));
                return 0;
            }

            Console.Out.WriteLine($"{"ID",-36}  {"SLUG",-24} {"PLAN",-10} {"STATUS",-10} NAME");
            foreach (var t in tenants)
                Console.Out.WriteLine($"{t.Id,-36}  {t.Slug,-24} {t.Plan,-10} {t.Status,-10} {t.Name}");
            return 0;
        }));
        return list;
    }

    private static Command ChangeStatus(string verb)
    {
        var slug = new Argument<string>("slug") { Description = "The tenant's slug (see `tenants list`)." };
        var command = new Command(verb, verb == "suspend"
            ? "Suspend a tenant: every server refuses all of its keys (403) within seconds, until it is activated."
            : "Return a suspended tenant to good standing; its active keys work again.") { slug };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            await using var services = await CliStorage.OpenAsync(ct);
            var tenants = services.GetRequiredService<TenantService>();
            var tenant = verb == "suspend" ? await tenants.SuspendAsync(parse.GetValue(slug)!, ct) : await tenants.ActivateAsync(parse.GetValue(slug)!, ct);
            Console.Out.WriteLine($"Tenant {tenant.Slug} ({tenant.Id}) is now {tenant.Status}.");
            return 0;
        }));
        return command;
    }
}
