using System.Globalization;
using System.Text;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Renders new keys as PostgreSQL INSERT statements (<c>keys create --sql</c>, as the seed's generator did),
/// for a database this process cannot reach. Only hashes go into the SQL, never plaintext keys. The tenant
/// row is inserted if missing and keys reference it by slug, so the script also works on a fresh database.
/// </summary>
public static class ApiKeySqlScript
{
    /// <summary>One transaction: the tenant (if absent) and one INSERT per key.</summary>
    public static string Render(Tenant tenant, IEnumerable<IssuedApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(keys);
        var sql = new StringBuilder();
        sql.AppendLine("-- CallWaiting API keys (hashes only: the plaintext keys are printed separately, once).");
        sql.AppendLine("BEGIN;");
        sql.Append("INSERT INTO tenants (id, slug, name, plan, status, created_at) VALUES (")
            .AppendJoin(", ", Literal(tenant.Id), Literal(tenant.Slug), Literal(tenant.Name), Literal(tenant.Plan), Literal(tenant.Status), Literal(tenant.CreatedAt))
            .AppendLine(") ON CONFLICT DO NOTHING;");

        foreach (var issued in keys)
        {
            var key = issued.Credential.Key;
            sql.Append("INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, rate_limit_per_min, rate_limit_per_day, status, expires_at, allowed_origins, created_at) VALUES (")
                .AppendJoin(
                    ", ",
                    Literal(key.Id),
                    $"(SELECT id FROM tenants WHERE slug = {Literal(tenant.Slug)})",
                    Literal(key.Name),
                    Literal(key.KeyPrefix),
                    Literal(issued.Credential.KeyHash),
                    Literal(Scopes.Format(key.Scopes)),
                    key.RateLimitPerMin.ToString(CultureInfo.InvariantCulture),
                    key.RateLimitPerDay.ToString(CultureInfo.InvariantCulture),
                    Literal(key.Status.ToText()),
                    key.ExpiresAt is { } expires ? Literal(expires) : "NULL",
                    ApiKeyRepository.FormatOrigins(key.AllowedOrigins) is { } origins ? Literal(origins) : "NULL",
                    Literal(key.CreatedAt))
                .AppendLine(");");
        }

        sql.AppendLine("COMMIT;");
        return sql.ToString();
    }

    /// <summary>
    /// A PostgreSQL string literal that reads the same whatever standard_conforming_strings is: quotes are
    /// doubled, and text with a backslash becomes an E'' literal with the backslash escaped.
    /// </summary>
    internal static string Literal(string value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("SQL text cannot contain NUL characters.", nameof(value));
        }

        var quoted = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\')
            ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + quoted + "'";
    }

    private static string Literal(Guid value) => "'" + value.ToString("D") + "'";

    private static string Literal(DateTimeOffset value) => "'" + SqliteText.FormatTimestamp(value) + "'";
}
