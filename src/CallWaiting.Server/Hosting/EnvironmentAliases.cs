using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Configuration;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// The contract's short environment variables (CALLWAITING_DB, CALLWAITING_REDIS, …, DESIGN.md §3) as a configuration
/// source: each becomes the option it stands for, so the options pattern reads them like any CALLWAITING_Section__Name.
/// </summary>
/// <param name="getVariable">Reads a variable; the process environment unless given (tests).</param>
public sealed class EnvironmentAliases(Func<string, string?>? getVariable = null) : IConfigurationSource
{
    /// <summary>Each short variable and the configuration key it sets.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [StorageOptions.DatabaseVariable] = $"{StorageOptions.Section}:{nameof(StorageOptions.PostgresConnectionString)}",
        [StorageOptions.DataDirectoryVariable] = $"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}",
        [StorageOptions.ModelsDirectoryVariable] = $"{StorageOptions.Section}:{nameof(StorageOptions.ModelsDirectory)}",
        [RedisConnectionOptions.EnvironmentVariable] = $"{RedisConnectionOptions.Section}:{nameof(RedisConnectionOptions.Configuration)}",
        [TlsOptions.CertificateVariable] = $"{TlsOptions.Section}:{nameof(TlsOptions.CertificatePath)}",
        [TlsOptions.KeyVariable] = $"{TlsOptions.Section}:{nameof(TlsOptions.KeyPath)}",
        [BootstrapOptions.EnvironmentVariable] = $"{BootstrapOptions.Section}:{nameof(BootstrapOptions.Key)}",
    };

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(getVariable ?? Environment.GetEnvironmentVariable);

    private sealed class Provider(Func<string, string?> getVariable) : ConfigurationProvider
    {
        public override void Load()
        {
            // Blank counts as unset, as it always has for these variables (compose files pass empty ones through).
            foreach (var (variable, key) in Keys)
            {
                if (getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value)) Data[key] = value;
            }
        }
    }
}
