using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting keys create|list|revoke|suspend` (DESIGN.md §3).</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Manage API keys.") { CreateKeys(), ListKeys(), ChangeStatus("revoke", ApiKeyStatus.Revoked), ChangeStatus("suspend", ApiKeyStatus.Suspended) };

    private static Command CreateKeys()
    {
        var name = new Option<string>("--name") { Description = "Label of the key(s).", Required = true };
        var tenant = new Option<string>("--tenant") { Description = "Owning tenant's slug.", DefaultValueFactory = _ => Tenant.DefaultSlug };
        var scopes = new Option<string>("--scopes") { Description = $"Comma-separated scopes ({string.Join(", ", Scopes.All)}).", DefaultValueFactory = _ => Scopes.DefaultForNewKeys };
        var perMinute = new Option<int>("--rate-limit-per-min") { Description = "Requests per minute.", DefaultValueFactory = _ => ApiKey.DefaultRateLimitPerMin };
        var perDay = new Option<int>("--rate-limit-per-day") { Description = "Requests per day.", DefaultValueFactory = _ => ApiKey.DefaultRateLimitPerDay };
        var expires = new Option<string?>("--expires") { Description = "Expiry instant, ISO 8601 (e.g. 2026-12-31T23:59:59Z)." };
        var origins = new Option<string?>("--allowed-origins") { Description = "Comma-separated browser origins allowed to use the key (default: any)." };
        var count = new Option<int>("-n", "--count") { Description = "How many keys to create.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per key and line: id, key, prefix, tenant_id, name." };
        var sql = new Option<bool>("--sql") { Description = "Print PostgreSQL INSERT statements instead of storing the keys (keys go to standard error)." };
        var create = new Command("create", "Create API keys; each key is printed once and never stored in plain text.")
        {
            name, tenant, scopes, perMinute, perDay, expires, origins, count, json, sql,
        };
        create.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (parse.GetValue(json) && parse.GetValue(sql)) return CliErrors.Fail(CliErrors.BadInput, "--json and --sql cannot be combined.");
            var request = new CreateKeysRequest
            {
                Name = parse.GetValue(name)!,
                TenantSlug = parse.GetValue(tenant)!,
                Scopes = parse.GetValue(scopes)!,
                RateLimitPerMin = parse.GetValue(perMinute),
                RateLimitPerDay = parse.GetValue(perDay),
                ExpiresAt = ParseExpiry(parse.GetValue(expires)),
                AllowedOrigins = (parse.GetValue(origins) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Count = parse.GetValue(count),
            };

            await using var services = await CliStorage.OpenAsync(ct);
            var keys = services.GetRequiredService<KeyService>();
            if (parse.GetValue(sql))
            {
                var (sqlKeys, script) = await keys.CreateKeysSqlAsync(request, ct);
                Console.Out.Write(script);
                foreach (var key in sqlKeys) Console.Error.WriteLine($"API key: {key.Key}  id={key.Id}");
                return 0;
            }

            var issued = await keys.CreateKeysAsync(request, ct);
            foreach (var key in issued)
            {
                Console.Out.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new NewKeyRow(key.Id, key.Key, key.Prefix, key.TenantId, key.Name), CliLineJson.Default.NewKeyRow)
                    : $"API key: {key.Key}  id={key.Id} tenant={request.TenantSlug} name={key.Name}");
            }

            return 0;
        }));
        return create;
    }

    private static Command ListKeys()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line." };
        var list = new Command("list", "List API keys (prefixes only; keys are never shown again).") { tenant, json };
        list.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            await using var services = await CliStorage.OpenAsync(ct);
            var keys = await services.GetRequiredService<KeyService>().ListKeysAsync(parse.GetValue(tenant), ct);
            if (parse.GetValue(json))
            {
                foreach (var k in keys)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new KeyRow(k.Id, k.KeyPrefix, k.Name, k.TenantId, k.Status.ToText(), Scopes.Format(k.Scopes),
                        k.RateLimitPerMin, k.RateLimitPerDay, k.ExpiresAt, k.LastUsedAt, k.CreatedAt), CliLineJson.Default.KeyRow));
                }

                return 0;
            }

            Console.Out.WriteLine($"{"ID",-36}  {"PREFIX",-20}  {"STATUS",-9}  {"LIMITS",-14}  {"LAST USED",-20}  {"SCOPES",-34}  NAME");
            foreach (var k in keys)
            {
                var limits = $"{k.RateLimitPerMin}/m {k.RateLimitPerDay}/d";
                var lastUsed = k.LastUsedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never";
                var status = k.IsExpiredAt(DateTimeOffset.UtcNow) && k.Status == ApiKeyStatus.Active ? "expired" : k.Status.ToText();
                Console.Out.WriteLine($"{k.Id,-36}  {k.KeyPrefix,-20}  {status,-9}  {limits,-14}  {lastUsed,-20}  {Scopes.Format(k.Scopes),-34}  {k.Name}");
            }

            return 0;
        }));
        return list;
    }

    private static Command ChangeStatus(string verb, ApiKeyStatus status)
    {
        var id = new Argument<string>("id") { Description = "The key's id (see `keys list`)." };
        var command = new Command(verb, status == ApiKeyStatus.Revoked
            ? "Revoke a key for good; every server refuses it within seconds."
            : "Suspend a key; every server refuses it within seconds.") { id };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (!Guid.TryParse(parse.GetValue(id), out var keyId)) return CliErrors.Fail(CliErrors.BadInput, $"'{parse.GetValue(id)}' is not a key id (a UUID).");
            await using var services = await CliStorage.OpenAsync(ct);
            var keys = services.GetRequiredService<KeyService>();
            var key = status == ApiKeyStatus.Revoked ? await keys.RevokeAsync(keyId, ct) : await keys.SuspendAsync(keyId, ct);
            Console.Out.WriteLine($"API key {key.Id} ({key.KeyPrefix}) is now {key.Status.ToText()}.");
            await BroadcastAsync(key.Id, key.Status.ToText());
            return 0;
        }));
        return command;
    }

    // Servers sharing Redis drop the key from their caches at once; all of them also read the change from the database within a second.
    private static async Task BroadcastAsync(Guid keyId, string status)
    {
        var options = CallWaitingConfiguration.ForCommandLine().GetSection(RedisConnectionOptions.Section).Get<RedisConnectionOptions>();
        if (options is not { IsConfigured: true }) return;
        try
        {
            await using var redis = await RedisConnection.ConnectAsync(options);
            await using var bus = await RedisKeyRevocationBus.StartAsync(redis);
            await bus.PublishAsync(keyId, status);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Console.Error.WriteLine($"warning: could not broadcast the change over Redis ({e.Message}); servers still read it from the database within {KeyChangePoller.Interval.TotalSeconds:0} s.");
        }
    }

    private static DateTimeOffset? ParseExpiry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ArgumentException($"--expires '{text}' is not an ISO 8601 instant such as 2026-12-31T23:59:59Z.");
    }
}
