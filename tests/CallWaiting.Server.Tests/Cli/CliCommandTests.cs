using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Cli;

/// <summary>The administrative commands of DESIGN.md §3, run as real processes against a PostgreSQL database.</summary>
public sealed class CliCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private Dictionary<string, string?> Env => new() { ["CALLWAITING_DB"] = postgres.ConnectionString };

    [Fact]
    public async Task Migrate_tenants_and_keys_work_end_to_end()
    {
        var migrate = await ServerCli.RunAsync(Env, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);
        Assert.Contains("schema", migrate.StandardOutput);

        var create = await ServerCli.RunAsync(Env, "tenants", "create", "--name", "Acme Corp", "--slug", "acme", "--plan", "pro");
        Assert.True(create.ExitCode == 0, create.StandardError);
        var duplicate = await ServerCli.RunAsync(Env, "tenants", "create", "--name", "Again", "--slug", "acme");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("already exists", duplicate.StandardError);

        var tenants = (await ServerCli.RunAsync(Env, "tenants", "list", "--json")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var acme = tenants.Single(t => t.GetProperty("slug").GetString() == "acme");
        Assert.Equal("pro", acme.GetProperty("plan").GetString());

        var keys = await ServerCli.RunAsync(Env, "keys", "create", "--name", "ivr", "--tenant", "acme", "--scopes", "tts:write,voices:read",
            "--rate-limit-per-min", "30", "--rate-limit-per-day", "500", "--expires", "2099-01-01T00:00:00Z", "-n", "3", "--json");
        Assert.True(keys.ExitCode == 0, keys.StandardError);
        var lines = keys.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var ids = new List<string>();
        foreach (var line in lines)
        {
            var key = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["id", "key", "prefix", "tenant_id", "name"], key.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.StartsWith(key.GetProperty("prefix").GetString()!, key.GetProperty("key").GetString()!);
            Assert.Equal(acme.GetProperty("id").GetGuid(), key.GetProperty("tenant_id").GetGuid());
            Assert.Equal("ivr", key.GetProperty("name").GetString());
            ids.Add(key.GetProperty("id").GetString()!);
        }

        var list = await ServerCli.RunAsync(Env, "keys", "list", "--tenant", "acme", "--json");
        var listed = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(ids.Order(), listed.Select(k => k.GetProperty("id").GetString()!).Order());
        Assert.All(listed, k => Assert.Equal(30, k.GetProperty("rate_limit_per_min").GetInt32()));
        Assert.DoesNotMatch("cw_live_[A-Za-z0-9_-]{43}", list.StandardOutput);

        var revoke = await ServerCli.RunAsync(Env, "keys", "revoke", ids[0]);
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);
        var suspend = await ServerCli.RunAsync(Env, "keys", "suspend", ids[1]);
        Assert.True(suspend.ExitCode == 0, suspend.StandardError);
        var afterRevoke = await ServerCli.RunAsync(Env, "keys", "suspend", ids[0]);
        Assert.Equal(1, afterRevoke.ExitCode);
        var statuses = (await ServerCli.RunAsync(Env, "keys", "list", "--json")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("status").GetString());
        Assert.Equal("revoked", statuses[ids[0]]);
        Assert.Equal("suspended", statuses[ids[1]]);
        Assert.Equal("active", statuses[ids[2]]);
    }

    [Fact]
    public async Task Keys_create_sql_prints_inserts_and_the_keys_separately_without_storing_them()
    {
        var sql = await ServerCli.RunAsync(Env, "keys", "create", "--name", "offline", "-n", "2", "--sql");
        Assert.True(sql.ExitCode == 0, sql.StandardError);
        Assert.Equal(2, sql.StandardOutput.Split('\n').Count(l => l.StartsWith("INSERT INTO api_keys", StringComparison.Ordinal)));
        Assert.DoesNotMatch("cw_live_[A-Za-z0-9_-]{43}", sql.StandardOutput);
        Assert.Equal(2, sql.StandardError.Split('\n').Count(l => l.StartsWith("API key: cw_live_", StringComparison.Ordinal)));
        var list = await ServerCli.RunAsync(Env, "keys", "list", "--json");
        Assert.DoesNotContain("\"offline\"", list.StandardOutput);
    }

    [Theory]
    [InlineData("keys", "create", "--name", "x", "--scopes", "bogus:scope")]
    [InlineData("keys", "create", "--name", "x", "--expires", "not-a-date")]
    [InlineData("keys", "create", "--name", "x", "--expires", "2001-01-01T00:00:00Z")]
    [InlineData("keys", "create", "--name", "x", "--json", "--sql")]
    [InlineData("keys", "create", "--name", "x", "--tenant", "no-such-tenant")]
    [InlineData("keys", "create", "--name", "x", "-n", "0")]
    [InlineData("keys", "revoke", "not-a-uuid")]
    [InlineData("keys", "revoke", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("tenants", "create", "--name", "Bad", "--slug", "Not Valid")]
    public async Task Bad_input_exits_2_with_a_clear_error(params string[] args)
    {
        var result = await ServerCli.RunAsync(Env, args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }
}
