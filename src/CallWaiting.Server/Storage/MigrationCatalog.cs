using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Server.Storage;

/// <summary>The migrations embedded in this assembly for each dialect, in version order.</summary>
public static class MigrationCatalog
{
    private const string ResourceRoot = "CallWaiting.Server.Storage.Migrations.";

    /// <summary>Loads and validates the embedded migrations of a dialect (NNN_name.sql, unique versions).</summary>
    public static IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var assembly = typeof(MigrationCatalog).Assembly;
        var prefix = ResourceRoot + dialect.MigrationFolder + ".";
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[prefix.Length..^".sql".Length]))
            .OrderBy(migration => migration.Version)
            .ToList();

        if (migrations.Count == 0)
        {
            throw new MigrationException($"No embedded migrations found for {dialect}.");
        }

        var duplicate = migrations.GroupBy(migration => migration.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Two {dialect} migrations share version {duplicate.Key}.");
        }

        return migrations;
    }

    private static Migration Load(Assembly assembly, string resourceName, string fileStem)
    {
        var separator = fileStem.IndexOf('_');
        if (separator <= 0 || !int.TryParse(fileStem.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
        {
            throw new MigrationException($"Migration resource '{resourceName}' is not named NNN_name.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd();
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new Migration(version, fileStem[(separator + 1)..], sql, checksum);
    }
}
